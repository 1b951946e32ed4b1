// The scope rule lives in ~/auth/scope.server; this name stays for the modules that still import it from here.
export { viewerScope, scopeCovers, type Scope as ViewerScope } from '~/auth/scope.server'
