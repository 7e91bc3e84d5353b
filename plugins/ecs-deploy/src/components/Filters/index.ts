export {
  FilterBar,
  FilterSelect,
  MyTeamChips,
  NoMatches,
  SEARCH_DEBOUNCE_MS,
  SearchField,
  teamName,
} from './Filters';
