// English labels: the same keys as fr.ts (the type check refuses a missing one).
import type { Messages } from './fr';

import { adminEn } from '../admin/messages';
import { consoleEn } from '../console/messages';

export const en: Messages = {
  'app.name': 'medvault',
  'app.skip': 'Skip to content',
  'app.language': 'Language',
  'app.logout': 'Log out',
  'app.signedInAs': 'Signed in: {user} ({role})',
  'app.loading': 'Loading…',
  'app.notFound': 'This page does not exist.',
  'app.forbiddenScreen': 'Your role does not give access to this screen.',
  'app.retry': 'Try again',
  'app.cancel': 'Cancel',
  'app.close': 'Close',
  'app.save': 'Save',
  'app.networkError': 'The server does not answer. Check the connection and try again.',
  'app.sessionExpired': 'Your session expired. Log in again; the note you were typing is kept.',

  'role.physician': 'physician',
  'role.nurse': 'nurse',
  'role.secretary': 'secretary',
  'role.security_officer': 'security officer',
  'role.admin': 'administrator',

  'nav.main': 'Main navigation',
  'nav.today': 'Today’s patients',
  'nav.search': 'Search',
  'nav.admin': 'Administration',
  'nav.console': 'Security console',

  'login.title': 'Log in',
  'login.username': 'Username',
  'login.password': 'Password',
  'login.submit': 'Continue',
  'login.code': '6-digit code from your app',
  'login.codeSubmit': 'Log in',
  'login.useRecovery': 'Use a recovery code',
  'login.useTotp': 'Use the app’s code',
  'login.recoveryCode': 'Recovery code',
  'login.restart': 'Start again',
  'login.backoff': 'Too many attempts. Try again in {seconds} s.',
  'login.lockout':
    'Account locked after too many failures. Try again in {minutes} min, or ask the administrator to unlock it.',
  'login.wrong': 'Wrong username or password.',
  'login.wrongCode': 'Code refused: {message}',
  'login.enrolTitle': 'Turn on two-factor authentication',
  'login.enrolHelp': 'Scan this QR code with your authenticator app (or type the key), then enter the code it shows.',
  'login.enrolSecret': 'Key to type by hand',
  'login.enrolQr': 'Enrolment QR code',
  'login.recoveryTitle': 'Your recovery codes',
  'login.recoveryHelp':
    'Write them down now and keep them safe: they will never be shown again. Each works once, if you lose your phone.',
  'login.recoveryDone': 'I have written them down',
  'login.passwordChange': 'Your password must be changed',
  'login.currentPassword': 'Current password',
  'login.newPassword': 'New password',
  'login.changePassword': 'Change password',
  'login.draftKept': 'An unsent note is kept and will be given back to you after you log in.',

  'stepUp.title': 'Confirm it is you',
  'stepUp.help': 'This action needs a fresh code from your authenticator app.',
  'stepUp.code': '6-digit code',
  'stepUp.confirm': 'Confirm',
  ...consoleEn,
  ...adminEn,
};
