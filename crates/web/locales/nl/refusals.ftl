# Why input was refused: one message per reason id of the domain and the store
# (`Refusal`, crate waakvlam-domain, module refusal). Shown next to the field.
# An area may word a reason in its own way with `<area prefix><id>` (for example
# the resident portal, which speaks B1 and says "je").

refusal-bsn-digits = Een BSN heeft 9 cijfers.
refusal-bsn-eleven-check = Dit BSN bestaat niet: controleer de cijfers (elfproef).
refusal-bsn-zeros = Een BSN kan niet alleen uit nullen bestaan.
refusal-agb-digits = Een AGB-code heeft 8 cijfers.
refusal-municipality-code-digits = Een gemeentecode heeft 4 cijfers, bijvoorbeeld 0664.
refusal-product-code-empty = Vul een productcode in.
refusal-product-code-length = Een productcode heeft hoogstens 5 tekens.
refusal-product-code-characters = Een productcode bevat alleen letters en cijfers.
refusal-product-category-digits = Vul de iWmo-categorie in als 2 cijfers, bijvoorbeeld 02.
refusal-email-empty = Vul een e-mailadres in.
refusal-email-length = Een e-mailadres heeft hoogstens 254 tekens.
refusal-email-spaces = Een e-mailadres bevat geen spaties.
refusal-email-at = Een e-mailadres bevat precies één @.
refusal-email-local-part = Vul een naam in vóór de @.
refusal-email-domain = Vul na de @ een domein met een punt in, bijvoorbeeld gemeente.nl.
refusal-allocation-number-empty = Vul een toewijzingsnummer in.
refusal-allocation-number-length = Een toewijzingsnummer heeft hoogstens 9 cijfers.
refusal-allocation-number-digits = Een toewijzingsnummer bestaat alleen uit cijfers.
refusal-password-short = Het wachtwoord is te kort: gebruik minstens { $min } tekens.
refusal-password-long = Het wachtwoord is te lang: gebruik hoogstens { $max } tekens.
refusal-password-spaces = Een wachtwoord kan niet alleen uit spaties bestaan.
refusal-amount-empty = Vul een bedrag in, bijvoorbeeld 705,69.
refusal-amount-invalid = Dit is geen bedrag in euro. Schrijf bijvoorbeeld 705,69 of € 1.234,50.
refusal-amount-negative = Het bedrag kan niet negatief zijn.
refusal-amount-decimals = Gebruik hoogstens 2 cijfers achter de komma, bijvoorbeeld 705,69.
refusal-amount-ambiguous = Dit bedrag is niet eenduidig: schrijf 1234 of 1.234,00.
refusal-amount-too-large = Dit bedrag is te groot.
refusal-amount-max = Dit bedrag is te hoog: maximaal { $max }.
refusal-unit-period-required = Bij bekostiging per eenheid: kies week of maand.
refusal-ceiling-required = Bij bekostiging per uur is een budgetplafond verplicht, bijvoorbeeld 12.000,00.
refusal-ceiling-negative = Het budgetplafond kan niet negatief zijn.
refusal-wellbeing-range = Kies een welbevinden van 1 tot en met 5.
refusal-start-after-previous = De startdatum moet na de start van de vorige indicatie liggen.
refusal-choose = Maak een keuze uit de lijst.
refusal-before-start = Deze datum mag niet vóór de startdatum liggen.
refusal-after-end = Deze datum mag niet na de einddatum liggen.
refusal-waakvlam-12 = Een waakvlam duurt hoogstens 12 maanden. Wilt u langer? Verleng de indicatie dan.
refusal-scale-down-required = Verplicht bij individuele en intensieve begeleiding: wanneer verwacht u af te schalen naar waakvlam?
refusal-extend-forward = De nieuwe einddatum moet na de huidige einddatum liggen.
refusal-extend-12 = Een verlenging is hoogstens 12 maanden na de huidige einddatum.
refusal-reason = Schrijf op waarom.
refusal-within = Deze datum moet binnen de looptijd van de indicatie liggen.
refusal-offered-in = Kies waar het product wordt aangeboden.
refusal-unknown-region = Deze regio kennen we niet.
refusal-product-choose = Kies een product uit de catalogus.
refusal-name-required = Vul een naam in.
refusal-name-length = Een naam heeft hoogstens { $max } tekens.
refusal-product-code-fixed = De productcode kan niet veranderen. Maak een nieuw product aan.
refusal-duration-range = Vul een duur in van 1 tot en met 1440 minuten.
refusal-contact-in-future = Een contact kan niet in de toekomst liggen.
refusal-end-in-future = Een waakvlam eindigt vandaag of eerder, niet in de toekomst.
refusal-end-before-contact = Het laatste contact was op { $date }. Kies die dag of later als laatste dag.
refusal-rhythm-range = Kies een ritme van 1 tot en met 365 dagen.
refusal-resolution-required = Schrijf op wat er is gedaan.
refusal-start-after-current = De startdatum moet na de start van de huidige indicatie liggen.
refusal-scale-down-only-support = Alleen individuele en intensieve begeleiding wordt afgeschaald.
refusal-not-a-professional = Dit account is geen hulpverlener.
refusal-helper-unavailable = Deze hulpverlener kan nu niet gekozen worden.
refusal-helper-current = Dit is al de vaste hulpverlener.
refusal-helper-no-support = Er loopt nu geen ondersteuning.
refusal-extension-open-ended = Deze indicatie heeft geen einddatum en hoeft dus niet verlengd te worden.
refusal-activation-code = Deze code werkt niet: onbekend, al gebruikt of verlopen.
refusal-professional-other-provider = Deze hulpverlener werkt niet bij deze aanbieder.
refusal-professional-other-team = Deze hulpverlener werkt in een ander team.
refusal-year-invalid = { $year } is geen geldig jaar.
refusal-unknown-product = Product { $code } bestaat niet.
refusal-unknown-municipality = Gemeentecode { $code } bestaat niet.
refusal-unknown-team = Team { $id } bestaat niet.
refusal-year-range = Vul een jaar in tussen { $min } en { $max }.
refusal-date-range = Kies een datum tussen { $min } en { $max }.
refusal-unknown-provider = Deze aanbieder bestaat niet.
refusal-text-required = Vul dit in.
refusal-text-length = Dit is te lang: maximaal { $max } tekens.
refusal-text-control = Hier staan tekens in die niet in een tekst horen (zoals een nul-teken). Typ de tekst opnieuw.
refusal-organisation-consultant = Een consulent hoort bij een gemeente (CBS-code van 4 cijfers) of een regio.
refusal-organisation-professional = Een hulpverlener hoort bij een aanbieder (AGB-code van 8 cijfers) of een team.
refusal-organisation-team-lead = Een teamleider hoort bij een team.
refusal-organisation-contract-manager = Een contractmanager hoort bij een gemeente (CBS-code van 4 cijfers) of een regio (region:NAAM).
refusal-organisation-resident = Een account van een inwoner hoort bij die inwoner (bsn:NNNNNNNNN).
refusal-unknown-resident = Deze inwoner bestaat niet.
refusal-product-not-offered = Product { $code } wordt niet aangeboden in gemeente { $municipality }.

# Refusals of the web forms themselves (before anything reaches the store).
refusal-date-invalid = { $value } is geen datum. Kies een datum in de kalender of schrijf hem als jjjj-mm-dd.
refusal-date-required = Vul een datum in.
refusal-whole-number = { $value } is geen heel getal.
refusal-outcome-choose = Kies hoe de waakvlam afloopt.

# Clashes with what is stored.
refusal-product-code-taken = Productcode { $code } bestaat al.
refusal-account-exists = Er is al een account met e-mailadres { $email }.
refusal-request-waiting = Voor deze indicatie wacht al een verzoek op een besluit.
refusal-request-decided = Over dit verzoek is al besloten.
refusal-indication-ended = Deze indicatie is al beëindigd.
refusal-bell-resolved = Deze hulpvraag is al afgehandeld.
refusal-page-range = Deze pagina bestaat niet. Kies een pagina van 1 tot en met { $max }.
refusal-indication-duplicate = Deze indicatie bestaat al: { $product } vanaf { $start } (toewijzingsnummer { $number }). Open die indicatie om hem te wijzigen.
refusal-indication-overlap = Deze inwoner heeft al een indicatie van dezelfde soort in die periode: { $product } van { $start } tot en met { $end } (toewijzingsnummer { $number }). Controleer of een tweede nodig is. Vink dan hieronder aan dat u toch wilt opslaan.
refusal-allocation-number-taken = Toewijzingsnummer { $number } is al gebruikt in gemeente { $municipality }.
refusal-invitation-code = Deze code werkt niet. Misschien is hij al gebruikt, ingetrokken of te oud. Vraag om een nieuwe code.
refusal-invitation-other-address = Deze uitnodiging is voor een ander e-mailadres. Log in met dat e-mailadres, of vraag om een nieuwe uitnodiging.
refusal-invitation-other-kind = Deze uitnodiging past niet bij jouw soort account. Vraag om een nieuwe uitnodiging.
refusal-invitation-log-in = Deze uitnodiging is voor een hulpverlener. Log in met je eigen account en vul de code daarna in bij Gedeeld met jou.

# Plans written together (issue 12).
refusal-result-choose = Kies of het afgesproken resultaat is bereikt.
refusal-plan-kind-choose = Kies of het een doel of een afspraak is.
refusal-plan-archive-choose = Kies of het is afgerond of vervalt.
refusal-plan-item-archived = Dit staat niet meer op het plan. Het is al afgerond of vervallen.
refusal-proposal-answered = Dit voorstel is al een doel geworden.
refusal-indication-running = Deze indicatie loopt nog. Beoordeel het resultaat als ze eindigt.
refusal-result-assessed = Het resultaat van deze indicatie is al beoordeeld.
