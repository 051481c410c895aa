// French labels: the reference dictionary (every key is defined here first).
import { adminFr } from '../admin/messages';
import { consoleFr } from '../console/messages';

export const fr = {
  'app.name': 'medvault',
  'app.skip': 'Aller au contenu',
  'app.language': 'Langue',
  'app.logout': 'Se déconnecter',
  'app.signedInAs': 'Connecté : {user} ({role})',
  'app.loading': 'Chargement…',
  'app.notFound': 'Cette page n’existe pas.',
  'app.forbiddenScreen': 'Votre rôle ne donne pas accès à cet écran.',
  'app.retry': 'Réessayer',
  'app.cancel': 'Annuler',
  'app.close': 'Fermer',
  'app.save': 'Enregistrer',
  'app.networkError': 'Le serveur ne répond pas. Vérifiez la connexion et réessayez.',
  'app.sessionExpired': 'Votre session a expiré. Reconnectez-vous ; votre note en cours est conservée.',

  'role.physician': 'médecin',
  'role.nurse': 'infirmier·ère',
  'role.secretary': 'secrétaire',
  'role.security_officer': 'délégué·e à la protection des données',
  'role.admin': 'administrateur·rice',

  'nav.main': 'Navigation principale',
  'nav.today': 'Patients du jour',
  'nav.search': 'Rechercher',
  'nav.admin': 'Administration',
  'nav.console': 'Console de sécurité',

  'login.title': 'Connexion',
  'login.username': 'Identifiant',
  'login.password': 'Mot de passe',
  'login.submit': 'Continuer',
  'login.code': 'Code à 6 chiffres de votre application',
  'login.codeSubmit': 'Se connecter',
  'login.useRecovery': 'Utiliser un code de secours',
  'login.useTotp': 'Utiliser le code de l’application',
  'login.recoveryCode': 'Code de secours',
  'login.restart': 'Recommencer',
  'login.backoff': 'Trop de tentatives. Réessayez dans {seconds} s.',
  'login.lockout':
    'Compte verrouillé après trop d’échecs. Réessayez dans {minutes} min, ou demandez à l’administrateur de le déverrouiller.',
  'login.wrong': 'Identifiant ou mot de passe incorrect.',
  'login.wrongCode': 'Code refusé : {message}',
  'login.enrolTitle': 'Activez la double authentification',
  'login.enrolHelp':
    'Scannez ce QR code avec votre application d’authentification (ou saisissez la clé), puis entrez le code qu’elle affiche.',
  'login.enrolSecret': 'Clé à saisir à la main',
  'login.enrolQr': 'QR code d’activation',
  'login.recoveryTitle': 'Vos codes de secours',
  'login.recoveryHelp':
    'Notez-les maintenant et gardez-les en lieu sûr : ils ne seront plus jamais affichés. Chacun sert une fois, si vous perdez votre téléphone.',
  'login.recoveryDone': 'Je les ai notés',
  'login.passwordChange': 'Votre mot de passe doit être changé',
  'login.currentPassword': 'Mot de passe actuel',
  'login.newPassword': 'Nouveau mot de passe',
  'login.changePassword': 'Changer le mot de passe',
  'login.draftKept': 'Une note non envoyée est conservée et vous sera rendue après la connexion.',

  'stepUp.title': 'Confirmez votre identité',
  'stepUp.help': 'Cette action demande un code récent de votre application d’authentification.',
  'stepUp.code': 'Code à 6 chiffres',
  'stepUp.confirm': 'Confirmer',
  ...consoleFr,
  ...adminFr,
};

export type Messages = { [K in keyof typeof fr]: string };
