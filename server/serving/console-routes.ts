// The console's client-side routes (web/src/app/App.tsx): a browser that opens one of them,
// signed in or not, gets the app shell (index.html), which shows the sign-in page when there
// is no session. Named one by one, so no API path can ever be taken for one of them; a
// unit test checks the list against App.tsx. Not /clusters: that is the server's cluster API.
export const CONSOLE_ROUTES: readonly string[] = Object.freeze([
  '/login',
  '/jobs',
  '/jobs/create',
  '/jobs/created',
  '/jobs/:namespace/:name',
  '/cronjobs',
  '/pods',
  '/pods/:namespace/:name',
  '/configmaps',
  '/secrets',
  '/images',
  '/logstores',
  '/logstores/:name',
  '/settings/clusters',
]);
