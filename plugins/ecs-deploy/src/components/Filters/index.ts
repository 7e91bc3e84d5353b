export {
  FilterBar,
  FilterSelect,
  MyTeamChips,
  SEARCH_DEBOUNCE_MS,
  SearchField,
  teamName,
} from './Filters';
