/** Command ids, as contributed in package.json. Other extensions and keybindings use them. */
export const COMMAND = {
  setCredentials: 'pandadoc.setCredentials',
  setApiKey: 'pandadoc.setApiKey',
  refreshToken: 'pandadoc.refreshToken',
  copyAccessToken: 'pandadoc.copyAccessToken',
  signOut: 'pandadoc.signOut',
  showLog: 'pandadoc.showLog',
  showActions: 'pandadoc.showActions',
} as const;

export const EXTENSION_ID = 'pandadoc-tools.pandadoc-auth';
