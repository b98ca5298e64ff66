export { mountPages } from './mount.ts';
export { PAGES, type PageName } from './shell.ts';
