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

# Signalen (caseload)
signal-kind-bell_open = Hulpvraag open
signal-kind-wellbeing_declining = Welbevinden daalt
signal-kind-no_contact_yet = Nog geen contact
signal-kind-contact_overdue = Contact te lang geleden
signal-kind-check_in_missed = Check-in gemist
signal-kind-indication_ending = Indicatie loopt af
signal-kind-scale_down_due = Afschaalmoment bereikt
signal-bell_open =
    { $count ->
        [1] Belde om hulp
       *[other] Belde { $count } keer om hulp, de eerste keer
    } { $days ->
        [0]
            { $hours ->
                [0] minder dan een uur geleden
               *[other] { $hours } uur geleden
            }
        [1] 1 dag geleden
       *[other] { $days } dagen geleden
    }, nog niet opgepakt
signal-wellbeing_declining =
    Welbevinden daalt: { $values } in de laatste { $count ->
        [2] twee
        [3] drie
        [4] vier
        [5] vijf
       *[other] { $count }
    } check-ins
signal-no_contact_yet =
    Nog geen contact sinds de start { $days ->
        [1] 1 dag
       *[other] { $days } dagen
    } geleden, { $rhythm_source ->
        [agreed] afgesproken
       *[default] standaard
    }: { $rhythm ->
        [1] elke dag
       *[other] elke { $rhythm } dagen
    }
signal-contact_overdue =
    Laatste contact { $days ->
        [1] 1 dag
       *[other] { $days } dagen
    } geleden, { $rhythm_source ->
        [agreed] afgesproken
       *[default] standaard
    }: { $rhythm ->
        [1] elke dag
       *[other] elke { $rhythm } dagen
    }
signal-check_in_missed = Check-in gemist
signal-indication_ending =
    { $days ->
        [0] Indicatie loopt vandaag af
        [1] Indicatie loopt morgen af
       *[other] Indicatie loopt af over { $days } dagen
    }
signal-scale_down_due =
    Afschaalmoment bereikt: bespreek afschalen naar { $level ->
        [intensive] individuele begeleiding
       *[other] waakvlam
    }
caseload-no-signals = Geen signalen
caseload-filter-legend = Filter de caseload
caseload-filter-signal = Signaal
caseload-filter-product = Product
caseload-filter-municipality = Gemeente
caseload-filter-all = Alle
caseload-filter-apply = Toon
caseload-filter-reset = Alle inwoners tonen
caseload-counts = Signalen op deze caseload
caseload-showing = { $shown } van { $total } inwoners
col-signals = Waarom aandacht
col-rhythm = Contactritme
rhythm-days = elke { $days } dagen
caseload-unassigned = Inwoners zonder begeleider
caseload-unassigned-none = Alle inwoners van het team hebben een begeleider.
caseload-assign = Wijs toe
caseload-assign-to = Begeleider voor { $name }
caseload-assigned = { $name } is toegewezen aan { $professional }.
