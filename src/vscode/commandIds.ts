/** Command ids, as contributed in package.json. Other extensions and keybindings use them. */
export const COMMAND = {
  signIn: 'pandadoc.signIn',
  setCredentials: 'pandadoc.setCredentials',
  setApiKey: 'pandadoc.setApiKey',
  refreshToken: 'pandadoc.refreshToken',
  copyAccessToken: 'pandadoc.copyAccessToken',
  signOut: 'pandadoc.signOut',
  showLog: 'pandadoc.showLog',
  showActions: 'pandadoc.showActions',
  showAccount: 'pandadoc.showAccount',
  switchProfile: 'pandadoc.switchProfile',
  importPostmanEnvironment: 'pandadoc.importPostmanEnvironment',
  copyRefreshAsCurl: 'pandadoc.copyRefreshAsCurl',
  changeRegion: 'pandadoc.changeRegion',
} as const;

export const EXTENSION_ID = 'pandadoc-tools.pandadoc-auth';
