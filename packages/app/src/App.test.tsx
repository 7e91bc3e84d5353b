import { render, screen } from '@testing-library/react';
import App from './App';

describe('App', () => {
  it('boots with its configuration onto the local sign-in page', async () => {
    process.env = {
      NODE_ENV: 'test',
      APP_CONFIG: [
        {
          data: {
            app: { title: 'Portal under test' },
            backend: { baseUrl: 'http://localhost:7007' },
            auth: {
              providers: {
                guest: { userEntityRef: 'user:default/carol' },
              },
            },
          },
          context: 'test',
        },
      ] as any,
    };

    const rendered = render(App.createRoot());

    // The app title comes from the configuration, the page from the app's sign-in module: it
    // names the configured guest, and the guest provider's card lets one enter.
    expect(
      await screen.findByRole(
        'heading',
        { name: 'Portal under test' },
        { timeout: 30000 },
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/user:default\/carol/, { ignore: 'script, style' }),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Enter' })).toBeEnabled();
    rendered.unmount();
  });
});
