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
role-contract_manager = contractmanager

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
login-reset = Dit wachtwoord werkt niet meer. Op { $date } om { $time } is er een nieuw wachtwoord gekozen, met een inlogcode van { $by }. Was jij dat niet? Bel dan meteen je hulpverlener.
login-locked = Te veel mislukte pogingen. Wacht { $minutes ->
        [one] 1 minuut
       *[other] { $minutes } minuten
    } en probeer het dan opnieuw.
login-expired = Je bent uitgelogd omdat je een tijdje niets hebt gedaan. Log opnieuw in.
login-logged-out = Je bent uitgelogd.
login-csrf = Het formulier was verlopen. Probeer het opnieuw.
login-forgot = Wachtwoord vergeten? Vraag je begeleider of de beheerder om een nieuw wachtwoord.

session-notice = Zonder activiteit wordt u na { $minutes } minuten uitgelogd ({ $time }). Uiterlijk { $end } logt u opnieuw in.
session-at-time = om { $time }
session-at-day-time = op { $day } om { $time }
session-resident-end = Je wordt { $at } uitgelogd. Daarna log je opnieuw in.
session-extend = Ingelogd blijven

caseload-title-professional = Mijn caseload
caseload-title-team = Caseload van het team
caseload-intro = Inwoners met een lopende indicatie bij u.
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
error-choose-decision = Kies bevestigen of afwijzen.
error-csrf = Dit formulier is verlopen of niet van deze pagina. Laad de pagina opnieuw en probeer het nog een keer.
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
caseload-order = Volgorde: bovenaan staat wie nu de meeste aandacht nodig heeft. Zwaarste signaal eerst: { $order }. Meer signalen tellen op; bij hetzelfde signaal gaat voor wie langer wacht. Zonder signaal: op naam.
caseload-why-label = Waarom op deze plaats
caseload-why-none = Geen signalen: op naam
caseload-why-bell_open =
    Bel niet opgepakt ({ $days ->
        [0]
            { $hours ->
                [0] minder dan een uur
                [1] 1 uur
               *[other] { $hours } uur
            }
        [1] 1 dag
       *[other] { $days } dagen
    }{ $count ->
        [1] {""}
       *[other] , { $count } keer
    })
caseload-why-wellbeing_declining = Welbevinden daalt ({ $values })
caseload-why-no_contact_yet = Nog geen contact sinds de start op { $date }
caseload-why-contact_overdue = Geen contact sinds { $date }
caseload-why-check_in_missed = Geen check-in sinds { $date }
caseload-why-check_in_missed-start = Nog geen check-in sinds de start op { $date }
caseload-why-indication_ending = Indicatie loopt af op { $date }
caseload-why-scale_down_due =
    { $days ->
        [0] Afschaalmoment is vandaag
       *[other] Afschaalmoment voorbij sinds { $date }
    }
caseload-new-message = Nieuw bericht
caseload-new-help = Nieuwe hulpvraag
caseload-new-proposal = Nieuw doel voorgesteld
caseload-new-label = Nieuw van de inwoner
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

# Inwonerpagina (professional)
client-now = Wat nu speelt
client-signals-none = Geen signalen: het gaat volgens afspraak.
client-current = Huidige indicatie
client-no-current = Geen lopende indicatie.
client-indication = { $product } van { $start } tot { $end }
client-indication-open = { $product } vanaf { $start }, zonder einddatum
client-rhythm = Afgesproken contactritme
client-rhythm-none = Nog niet afgesproken (standaard { $days } dagen)
client-contact-person = Contactpersoon
client-last-contact = Laatste contact
client-never = nog nooit
client-born = Geboren { $date }
client-open-bells = Hulpvragen (bel)
client-bell-rung = Belde op { $when }
client-bell-acknowledged = Opgepakt op { $when }
client-bell-acknowledge = Oppakken
client-bell-resolution = Wat is er gedaan?
client-bell-resolve = Afronden
client-pending = Verzoeken die wachten op de gemeente
request-up = Opschalen
request-down = Afschalen
request-pending-line = { $direction } naar { $product } per { $start }, aangevraagd { $when }
client-plan = Plan
client-goals = Doelen
client-agreements = Afspraken
client-progress = Voortgang
client-plan-empty = Er staat nog niets in het plan.
client-log-contact = Contact vastleggen
client-contact-date = Datum
client-contact-channel = Hoe
client-contact-duration = Duur in minuten (niet verplicht)
client-contact-wellbeing = Welbevinden 1–5 (niet verplicht)
client-contact-note = Notitie (niet verplicht)
client-contact-save = Contact opslaan
client-contact-saved = Contact vastgelegd.
client-set-rhythm = Contactritme aanpassen
client-rhythm-every = Elke
client-rhythm-unit = Eenheid
unit-days = dagen
unit-weeks = weken
client-rhythm-save = Ritme opslaan
client-rhythm-saved = Contactritme opgeslagen.
client-delivery = Start van de hulp
client-delivery-none = Nog niet gemeld. Het eerste contact telt als start.
client-delivery-start = Start van de hulp melden
client-delivery-intro = Begon de hulp vóór het eerste contact dat u hier vastlegde? Geef dan de dag. Komt de toewijzing als iWmo-bericht, dan krijgt de gemeente een startbericht (WMO305).
client-delivery-day = Eerste dag van de hulp
client-delivery-save = Start melden
client-delivery-saved = Start van de hulp vastgelegd.
client-bell-saved = Hulpvraag bijgewerkt.
client-scale = Op- of afschalen
client-scale-intro = Opschalen kan direct, zonder nieuwe intake: u blijft de begeleider. De gemeente beslist.
client-scale-direction = Richting
client-scale-product = Naar product
client-scale-start = Gewenste startdatum
client-scale-reason = Reden
client-scale-urgency = Spoed
urgency-normal = Normaal
urgency-urgent = Spoed
client-scale-send = Verzoek versturen
client-scale-sent = Verzoek verstuurd naar de gemeente.
client-restart = Hulp opnieuw aanvragen
client-restart-intro = De hulp is gestopt. Gaat het weer minder goed? Vraag de gemeente om nieuwe hulp, zonder nieuwe intake. De gemeente beslist.
client-timeline = Tijdlijn
client-planned = Gepland
client-timeline-empty = Nog geen gebeurtenissen.
client-older = Oudere gebeurtenissen
client-newer = Nieuwere gebeurtenissen
client-refused-contact = Het contact is niet opgeslagen. Verbeter dit:
client-refused-rhythm = Het contactritme is niet opgeslagen. Verbeter dit:
client-refused-bell = De hulpvraag is niet afgerond. Verbeter dit:
client-refused-scale = Het verzoek is niet verstuurd. Verbeter dit:
client-refused-end = De waakvlam is niet beëindigd. Verbeter dit:
channel-visit = Huisbezoek
channel-phone = Telefoon
channel-video = Video
channel-message = Bericht
channel-walk_in = Inloop
tl-contact = Contact ({ $channel }){ $by }
tl-check-in = Check-in: welbevinden { $wellbeing }
tl-bell-rung = Belde om hulp
tl-bell-acknowledged = Hulpvraag opgepakt{ $by } na { $minutes } minuten
tl-bell-resolved = Hulpvraag afgerond{ $by }
tl-indication-started = Indicatie { $product } gestart
tl-indication-ended = Indicatie { $product } beëindigd
tl-request = Verzoek { $direction }: { $status }
tl-plan = Plan: { $text }
request-status-pending = wacht op besluit
request-status-approved = toegekend
request-status-rejected = afgewezen
tl-wellbeing = welbevinden { $wellbeing }
tl-minutes = { $minutes } min

# Inwoner: hulp vragen (B1)
me-help-button = Ik wil hulp
me-help-title = Wil je hulp?
me-help-question = Wil je dat iemand contact met je opneemt?
me-help-message = Wil je iets vertellen? Dat mag, maar het hoeft niet.
me-help-yes = Ja, ik wil hulp
me-help-no = Nee, terug
me-help-sent = We hebben je vraag gekregen.
me-help-who = { $name } belt je uiterlijk { $when }.
me-help-who-team = Iemand van het team belt je uiterlijk { $when }.
me-help-urgent = Is het heel dringend? Bel dan 112. Of bel de huisarts.

# Werkvoorraad: verzoeken
worklist-requests = Verzoeken van begeleiders
worklist-requests-none = Er wachten geen verzoeken.
col-direction = Verzoek
col-requested-start = Gewenste start
col-age = Wacht sinds
col-reason = Reden
col-urgency = Spoed
worklist-age = { $days ->
        [0] vandaag
        [one] 1 werkdag
       *[other] { $days } werkdagen
    }
weekday-monday = maandag
weekday-tuesday = dinsdag
weekday-wednesday = woensdag
weekday-thursday = donderdag
weekday-friday = vrijdag
weekday-saturday = zaterdag
weekday-sunday = zondag
month-1 = januari
month-2 = februari
month-3 = maart
month-4 = april
month-5 = mei
month-6 = juni
month-7 = juli
month-8 = augustus
month-9 = september
month-10 = oktober
month-11 = november
month-12 = december
date-in-words = { $day } { $month } { $year }
date-in-words-this-year = { $day } { $month }

# Besluiten over verzoeken
col-decision = Besluit
worklist-decide = Beoordelen
decide-title = Verzoek beoordelen
decide-summary = { $direction } voor { $name }: { $what }, gewenste start { $start }.
decide-reason = Reden van de begeleider
decide-approve = Toekennen
decide-approve-intro = Bij toekennen stopt de huidige indicatie de dag vóór de nieuwe start. De nieuwe indicatie houdt dezelfde begeleider; er is geen nieuwe intake nodig.
decide-start = Startdatum
decide-scale-down = Gepland afschaalmoment
decide-scale-down-hint = Verplicht bij individuele en intensieve begeleiding: wanneer verwacht u dat afschalen naar waakvlam kan?
decide-reject = Afwijzen
decide-reject-reason = Reden van afwijzen
decide-done-approved = Het verzoek is toegekend. De begeleider ziet het meteen.
decide-done-rejected = Het verzoek is afgewezen. De begeleider ziet de reden meteen.
decide-refused-approve = Het verzoek is niet goedgekeurd. Verbeter dit:
decide-refused-reject = Het verzoek is niet afgewezen. Verbeter dit:
request-end-support = Ondersteuning beëindigen
client-end = Waakvlam beëindigen
client-end-intro = Leg vast hoe de waakvlam eindigt. Dat telt mee in de cijfers van de gemeente.
client-end-date = Laatste dag
client-end-outcome = Uitkomst
outcome-independent = Zelfstandig verder
outcome-scaled_up = Opgeschaald
outcome-moved = Verhuisd
outcome-deceased = Overleden
outcome-other = Anders
client-end-save = Beëindigen…
client-end-confirm-title = Waakvlam beëindigen?
client-end-confirm-intro = Weet u het zeker? Na het beëindigen staat de waakvlam niet meer op uw caseload. De gemeente ziet de uitkomst in de cijfers. Opnieuw starten kan alleen met een nieuwe indicatie.
client-end-confirm = Ja, beëindigen
client-end-back = Nee, terug naar de inwoner
client-end-saved = De waakvlam is beëindigd.
nav-intake = Nieuwe toewijzingen
intake-title = Nieuwe toewijzingen
intake-intro = Indicaties die de gemeente aan uw organisatie heeft toegewezen en die nog geen team hebben. Kies per inwoner een begeleider; de inwoner komt dan op diens caseload. Een nieuwe indicatie voor een inwoner die u al kent, gaat vanzelf naar dezelfde begeleider.
intake-none = Er wachten geen nieuwe toewijzingen.
intake-product = Product
intake-number = Toewijzingsnummer
intake-period-label = Periode
intake-period = { $start } tot en met { $end }
intake-period-open = vanaf { $start }, zonder einddatum
intake-scale-down = Gepland afschaalmoment
intake-agreed-result = Afgesproken resultaat
intake-received = Ontvangen
intake-professional-for = Begeleider voor { $name }
intake-choose = Kies een begeleider
intake-candidate = { $name } ({ $team }) — { $count } inwoners
intake-assign = Toewijzen
intake-assigned = { $name } staat nu op de caseload van de gekozen begeleider.
intake-error-choose = Kies een begeleider.

# Plans written together (issue 12): the professional's side.
client-agreed-result = Afgesproken resultaat
client-agreed-result-none = Geen resultaat vastgelegd
client-scale-down = Afschaalmoment
client-scale-down-none = Niet gepland
client-past-results = Resultaat bij einde
client-result-line = { $product } tot { $end }: { $result }. { $sentence }
client-end-result = Is het afgesproken resultaat bereikt?
client-end-result-hint = Kijk naar het afgesproken resultaat bovenaan de pagina.
client-end-result-note = In één zin: waarom?
client-refused-plan = Het plan is niet aangepast. Verbeter dit:
client-refused-plan-item = Het plan is niet aangepast. Verbeter dit:
client-refused-proposal = Het voorstel is niet beantwoord. Verbeter dit:
client-plan-saved = Het plan is bijgewerkt.
client-plan-archived = Het staat niet meer op het plan. Je vindt het onder "Afgerond en vervallen".
client-proposal-accepted = Het voorstel is een doel geworden.
client-proposal-discussed = De inwoner ziet dat u het voorstel eerst wilt bespreken.
result-choose-option = Kies…
result-reached = Bereikt
result-partly = Deels bereikt
result-not_reached = Niet bereikt
plan-kind-goal = Doel
plan-kind-agreement = Afspraak
plan-archive-done = Afgerond
plan-archive-lapsed = Vervalt
plan-proposal-open = Wacht op antwoord
plan-proposal-discuss = Eerst bespreken
plan-proposal-accepted = Doel geworden
plan-add = Doel of afspraak toevoegen
plan-kind = Soort
plan-text = Tekst
plan-text-hint = Schrijf het samen met de inwoner op, in de woorden van de inwoner. Korte zinnen, zoals: "Ik doe elke week zelf boodschappen."
plan-add-save = Toevoegen
plan-change = Wijzigen of van het plan halen
plan-change-save = Tekst opslaan
plan-archive-reason = Van het plan halen, want
plan-archive = Van het plan halen
plan-archived = Afgerond en vervallen
plan-archived-on = { $reason } op { $date }
plan-history = Geschiedenis
plan-history-proposed = voorgesteld: “{ $text }”
plan-history-written = geschreven: “{ $text }”
plan-history-changed = gewijzigd van “{ $from }” in “{ $to }”
plan-history-system = Waakvlam
plan-proposals = Voorstellen van de inwoner
plan-proposal-state = Voorgesteld op { $date }.
plan-proposal-discussing = Je wilt het eerst bespreken.
plan-proposal-as-goal = Als doel, in jullie woorden
plan-proposal-accept = Overnemen als doel
plan-proposal-note = Wat wilt u eerst bespreken? (mag leeg)
plan-proposal-discuss-button = Eerst bespreken
plan-print = Plan afdrukken
plan-print-now = Afdrukken
plan-print-back = Terug naar de inwoner
plan-print-title = Plan van { $name }
plan-print-date = Afgedrukt op { $date }

# iWmo message log
nav-iwmo = Berichtenverkeer
nav-declarations = Declaraties
decl-title = Declaraties
decl-intro = Wat aanbieders per gemeente declareerden (iWmo WMO323), wat de gemeente toekende of afwees (WMO325) en wat nog op antwoord wacht. Een waakvlam per week telt elke week, ook zonder contact. Bij uren: het gebruikte budget tegenover het plafond. Hier staan alleen bedragen, geen inwoners.
decl-none = Er is nog niets gedeclareerd.
decl-caption = Declaraties per aanbieder en gemeente
decl-col-provider = Aanbieder
decl-col-municipality = Gemeente
decl-col-count = Declaraties
decl-col-declared = Gedeclareerd
decl-col-granted = Toegekend
decl-col-refused = Afgewezen
decl-col-waiting = Wacht op antwoord
decl-col-budget = Budget bij uren
decl-budget-of = { $used } van { $ceiling }
decl-capped = { $count ->
    [one] 1 regel afgetopt op het plafond
   *[other] { $count } regels afgetopt op het plafond
}
decl-credit = { $amount } (credit)
decl-refused-heading = Afgewezen regels
decl-refused-none = Geen afgewezen regels.
decl-col-declaration = Declaratie
decl-col-line = Regel
decl-col-amount = Bedrag
decl-col-why = Waarom afgewezen
iwmo-title = Berichtenverkeer (iWmo)
iwmo-intro = Alle iWmo-berichten die Waakvlam voor uw gemeente of organisatie heeft verstuurd en ontvangen, het nieuwste eerst. Berichten gaan als bestanden via uw eigen GGk/VECOZO-koppeling (waakvlam iwmo export en import), of u leest ontvangen berichten hier in en downloadt de berichten die klaarstaan.
iwmo-none = Er zijn nog geen berichten verstuurd of ontvangen.
iwmo-caption = Berichten, nieuwste eerst
iwmo-col-message = Bericht
iwmo-col-direction = Richting
iwmo-col-parties = Van en naar
iwmo-col-state = Stand
iwmo-col-codes = Retourcodes
iwmo-out = Verstuurd door Waakvlam
iwmo-in = Ontvangen
iwmo-from = van
iwmo-to = naar
iwmo-state-pending = Klaar om te versturen
iwmo-state-sent = Verstuurd
iwmo-state-sent-at = Verstuurd op { $when }
iwmo-state-applied = Verwerkt
iwmo-state-accepted = Verstuurd en goedgekeurd door de ontvanger
iwmo-state-refused = Verstuurd, afgekeurd door de ontvanger
iwmo-state-rejected = Afgekeurd, niet verwerkt
iwmo-kind-wmo301 = toewijzing
iwmo-kind-wmo302 = retour toewijzing
iwmo-kind-wmo305 = start zorg
iwmo-kind-wmo306 = retour start zorg
iwmo-kind-wmo307 = stop zorg
iwmo-kind-wmo308 = retour stop zorg
iwmo-kind-wmo315 = verzoek om toewijzing
iwmo-kind-wmo316 = retour verzoek om toewijzing
iwmo-kind-wmo317 = verzoek om wijziging
iwmo-kind-wmo318 = retour verzoek om wijziging
iwmo-kind-wmo319 = antwoord op verzoek
iwmo-kind-wmo320 = retour antwoord
iwmo-kind-wmo323 = declaratie
iwmo-kind-wmo325 = retour declaratie
iwmo-back = Terug naar het berichtenverkeer
iwmo-why = Waarom afgekeurd
iwmo-resident = Inwoner
iwmo-resident-open = Naar de inwoner
iwmo-xml = Het bericht (XML)
iwmo-download = Download het bericht als bestand (XML)
iwmo-sent-by-hand-intro = Verstuurt u dit bericht zelf, bijvoorbeeld via het VECOZO-portaal? Download het, verstuur het en meld het dan hier als verstuurd.
iwmo-sent-by-hand = Ik heb dit bericht verstuurd
iwmo-upload-link = Ontvangen berichten inlezen
iwmo-upload-title = Ontvangen berichten inlezen
iwmo-upload-intro = Heeft u geen eigen GGk/VECOZO-koppeling? Lees hier de berichtbestanden in die u heeft ontvangen (bijvoorbeeld uit het VECOZO-portaal). Waakvlam controleert elk bericht tegen de iWmo 3.2-standaard, verwerkt het helemaal of niet, en zet het retourbericht klaar. Alleen berichten aan uw eigen gemeente of organisatie worden gelezen.
iwmo-upload-files = Berichtbestanden (XML)
iwmo-upload-hint = Een of meer bestanden, samen maximaal 1 MB.
iwmo-upload-submit = Inlezen
iwmo-upload-errors = Verbeter dit eerst:
iwmo-upload-none = Kies een of meer berichtbestanden om in te lezen.
iwmo-upload-results = Resultaat
iwmo-upload-applied = Verwerkt. Het retourbericht staat klaar om te versturen.
iwmo-upload-rejected = Afgekeurd en niet verwerkt. Het retourbericht met de codes staat klaar om te versturen.
iwmo-upload-again = Dit bericht was al ingelezen. Er is niets veranderd.
iwmo-upload-granted = Declaratieregels toegekend:
iwmo-upload-refused = afgewezen:
iwmo-upload-answer-accepted = Retourbericht gelezen: de ontvanger heeft het bericht goedgekeurd.
iwmo-upload-answer-refused = Retourbericht gelezen: de ontvanger heeft het bericht afgekeurd.
iwmo-upload-not-ours = Niet ingelezen: dit bericht is gericht aan { $receiver }, niet aan uw gemeente of organisatie.
iwmo-upload-unreadable = Niet ingelezen: dit bestand is geen iWmo 3.2-bericht dat Waakvlam leest.
iwmo-upload-open = bekijk het bericht
caseload-assign-refused = Niet toegewezen.
caseload-candidate = { $name } — { $count ->
    [one] 1 inwoner
   *[other] { $count } inwoners
}
