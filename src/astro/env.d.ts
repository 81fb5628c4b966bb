declare module 'virtual:threatmark/site' {
  const data: import('./site-data.ts').SiteData;
  export default data;
}
