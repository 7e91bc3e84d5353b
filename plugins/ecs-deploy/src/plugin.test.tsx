import {
  ecsDeployPlugin,
  EntityEcsDeploymentsCard,
  EntityEcsDeploymentsContent,
  EntityEcsTeamDeploymentsContent,
} from './plugin';
import { ecsDeployApiRef } from './api';

describe('ecs-deploy plugin (legacy frontend system)', () => {
  it('is created with its id and API factory', () => {
    expect(ecsDeployPlugin.getId()).toBe('ecs-deploy');
    const apis = [...ecsDeployPlugin.getApis()];
    expect(apis.map(a => a.api.id)).toEqual([ecsDeployApiRef.id]);
  });

  it('provides the card and the tabs as extensions', () => {
    expect(EntityEcsDeploymentsCard).toBeDefined();
    expect(EntityEcsDeploymentsContent).toBeDefined();
    expect(EntityEcsTeamDeploymentsContent).toBeDefined();
  });
});
