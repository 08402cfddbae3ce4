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
  renameProfile: 'pandadoc.renameProfile',
  deleteProfile: 'pandadoc.deleteProfile',
  taskCredential: 'pandadoc.taskCredential',
  manageWorkspacePermissions: 'pandadoc.manageWorkspacePermissions',
  turnOnTerminalCredentials: 'pandadoc.turnOnTerminalCredentials',
  turnOffTerminalCredentials: 'pandadoc.turnOffTerminalCredentials',
  turnOnMcpServers: 'pandadoc.turnOnMcpServers',
  turnOffMcpServers: 'pandadoc.turnOffMcpServers',
} as const;

/** Each command's title as contributed in package.json (the manifest test holds them equal): a
 *  button that runs a command is labelled with exactly what the palette calls it. */
export const COMMAND_TITLE: Record<keyof typeof COMMAND, string> = {
  signIn: 'Sign In with Browser...',
  setCredentials: 'Set OAuth Credentials...',
  setApiKey: 'Set API Key...',
  refreshToken: 'Refresh Token',
  copyAccessToken: 'Copy Access Token',
  signOut: 'Sign Out',
  showLog: 'Show Log',
  showActions: 'Show Actions...',
  showAccount: 'Show Account',
  switchProfile: 'Switch Profile...',
  importPostmanEnvironment: 'Import Credentials from Postman Environment...',
  copyRefreshAsCurl: 'Copy Refresh Request as curl',
  changeRegion: 'Change Region...',
  renameProfile: 'Rename Profile...',
  deleteProfile: 'Delete Profile...',
  taskCredential: 'Credential for a Task or Launch Configuration',
  manageWorkspacePermissions: 'Manage Workspace Permissions...',
  turnOnTerminalCredentials: 'Turn On Credentials in Terminals for This Workspace...',
  turnOffTerminalCredentials: 'Turn Off Credentials in Terminals for This Workspace',
  turnOnMcpServers: 'Turn On Tools in Chat...',
  turnOffMcpServers: 'Turn Off Tools in Chat',
};

export const EXTENSION_ID = 'pandadoc-tools.pandadoc-auth';
