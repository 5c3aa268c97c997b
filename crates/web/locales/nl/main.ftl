# Waakvlam — Nederlandse teksten (bron). Inwonerteksten op B1-niveau.
app-name = Waakvlam
skip-to-content = Naar de inhoud
language-switch = English
language-switch-lang = en
nav-label = Hoofdmenu
logged-in-as = Ingelogd als { $name } ({ $role })
logout = Uitloggen
footer-text = Waakvlam — open source, EUPL-1.2

role-admin = beheerder
role-consultant = Wmo-consulent
role-professional = waakvlammer / begeleider
role-team_lead = teamleider
role-analyst = beleidsmedewerker
role-resident = inwoner

nav-caseload = Caseload
nav-worklist = Werkvoorraad
nav-monitoring = Monitoring
nav-admin = Beheer
nav-me = Mijn pagina

login-title = Inloggen
login-intro = Log in met je e-mailadres en wachtwoord.
login-email = E-mailadres
login-password = Wachtwoord
login-submit = Inloggen
login-failed = Het e-mailadres of het wachtwoord klopt niet. Probeer het opnieuw.
login-locked = Te veel mislukte pogingen. Wacht { $minutes } minuten en probeer het dan opnieuw.
login-expired = Je bent uitgelogd omdat je een tijdje niets hebt gedaan. Log opnieuw in.
login-logged-out = Je bent uitgelogd.
login-csrf = Het formulier was verlopen. Probeer het opnieuw.
login-forgot = Wachtwoord vergeten? Vraag je begeleider of de beheerder om een nieuw wachtwoord.

session-notice = Je wordt na { $minutes } minuten zonder activiteit uitgelogd (om { $time }). Je sessie stopt uiterlijk om { $end }; daarna log je opnieuw in.
session-extend = Ingelogd blijven

caseload-title-professional = Mijn caseload
caseload-title-team = Caseload van het team
caseload-intro = Inwoners met een lopende indicatie bij jou.
caseload-intro-team = Inwoners met een lopende indicatie bij het team.
caseload-empty = Er staan nog geen inwoners op deze caseload.
caseload-bells = Niet opgepakte hulpvragen (bel)
col-name = Naam
col-product = Product
col-start = Begin
col-end = Loopt tot
col-professional = Begeleider
col-municipality = Gemeente
col-count = Aantal
no-end = geen einddatum
unassigned = nog niet toegewezen

worklist-title = Werkvoorraad
worklist-intro = Verzoeken van aanbieders en indicaties die aandacht vragen in { $organisation }.
worklist-pending = Verzoeken om op- of af te schalen die wachten op een besluit
worklist-active = Lopende indicaties naar intensiteit
level-intensive = Intensief (BTS)
level-individual = Individueel (BT)
level-waakvlam = Waakvlam
level-other = Overig

monitoring-title = Monitoring
monitoring-intro = Afgegeven indicaties per gemeente in { $year }. Alleen totalen, nooit gegevens van personen.
monitoring-total = Totaal

admin-title = Beheer
admin-intro = Accounts van deze installatie.
col-email = E-mailadres
col-role = Rol
col-organisation = Organisatie
col-active = Actief
yes = ja
no = nee

me-title = Hoe gaat het met je?
me-contact = Jouw contactpersoon
me-contact-phone = Telefoon: { $phone }
me-no-contact = Je hebt nu geen contactpersoon. Bel de gemeente als je hulp wilt.
me-last-contact = Jullie hadden voor het laatst contact op { $date }.

error-title = Er ging iets mis
error-not-found = Deze pagina bestaat niet.
error-forbidden = Je hebt geen toegang tot deze pagina.
error-internal = Er ging iets mis aan onze kant. Probeer het later opnieuw.
error-back = Terug naar de startpagina
