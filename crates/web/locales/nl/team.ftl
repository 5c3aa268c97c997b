# Team (teamleider): werkverdeling, overdracht, drempels van signalen

nav-team = Team
team-title = Werkverdeling { $team }
team-intro = Per begeleider: hoeveel inwoners, wie aandacht nodig heeft, het aantal contacten deze maand tegenover wat het afgesproken contactritme vraagt, en de uren per week voor de caseload.
team-caption = Contacten { $from } – { $to }
team-caseload = Inwoners
team-attention = Met een signaal
team-bells = Hulpvraag open
team-contacts-of = { $done } van ongeveer { $expected }
team-behind = achter op het ritme
team-left = uit dienst
team-none = Er werken nog geen begeleiders in dit team.
team-unassigned = { $count ->
    [one] Eén inwoner van het team heeft nog geen begeleider.
   *[other] { $count } inwoners van het team hebben nog geen begeleider.
}
team-unassigned-link = Wijs toe op de caseload
team-capacity-of = Uren per week van { $name }
team-capacity-hint = Hele uren voor de caseload; leeg als het niet bekend is.
team-capacity-save = Bewaar uren
team-capacity-saved = De uren zijn bewaard.
team-capacity-whole = Vul een heel aantal uren in, bijvoorbeeld 24.
team-handover-of = Inwoners van { $name } overdragen
team-handed-over = { $count ->
    [one] Eén inwoner is overgedragen aan { $name }.
   *[other] { $count } inwoners zijn overgedragen aan { $name }.
}
team-errors-title = Controleer het formulier
team-back = Terug naar de werkverdeling
team-handover-title = Overdragen
team-handover-intro = Geef één inwoner of de hele caseload van een begeleider aan een collega, bijvoorbeeld bij vertrek of ziekte. De geschiedenis blijft bewaard. De nieuwe begeleider leest uw overdracht als eerste op de pagina van de inwoner, en de inwoner hoort wie de nieuwe contactpersoon is.
team-handover-from = Van begeleider
team-handover-from-option = { $name } ({ $count } inwoners)
team-handover-choose = Kies een begeleider
team-handover-next = Verder
team-handover-resident = Welke inwoners
team-handover-resident-hint = Kies één inwoner, of laat de hele caseload overgaan.
team-handover-all = Alle { $count } inwoners van { $name }
team-handover-to = Naar begeleider
team-handover-note = Overdracht
team-handover-note-hint = Wat moet de nieuwe begeleider eerst weten? Afspraken, wat speelt er, wie belt u bij zorgen. Dit komt niet in een e-mail.
team-handover-submit = Draag over
team-handover-error-from = Kies van welke begeleider u overdraagt.
team-handover-error-to = Kies aan welke begeleider u overdraagt.
team-handover-error-resident = Kies een inwoner uit de lijst.
intake-candidate-capacity = { $name } ({ $team }) — { $count } inwoners, { $hours } uur per week
intake-waiting = { $count ->
    [one] wacht 1 werkdag
   *[other] wacht { $count } werkdagen
}
intake-late = Wacht te lang op een begeleider
caseload-inbox = { $count ->
    [one] Er wacht 1 nieuwe toewijzing op een begeleider.
   *[other] Er wachten { $count } nieuwe toewijzingen op een begeleider.
}
caseload-inbox-late = { $count ->
    [one] 1 daarvan wacht te lang.
   *[other] { $count } daarvan wachten te lang.
}
caseload-inbox-link = Naar de nieuwe toewijzingen
caseload-waiting-since = sinds { $date }
caseload-handed-over = Nieuw bij u: lees de overdracht
client-handover-title = Overdracht
client-handover-from = { $by } droeg { $name } op { $date } aan u over (eerder bij { $from }).
client-handover-from-none = { $by } droeg { $name } op { $date } aan u over.
client-handover-no-note = Er is geen overdrachtsnotitie geschreven.
client-handover-read = Gelezen
worklist-unassigned = Toewijzingen zonder begeleider
worklist-unassigned-intro = Deze inwoners hebben een indicatie, maar de aanbieder heeft hen na de drempel nog niet aan een begeleider gegeven. Vraag de aanbieder wat er nodig is.
worklist-unassigned-row = { $product } bij { $provider }, afgegeven { $date } — { $days } werkdagen zonder begeleider

thresholds-title = Drempels van signalen
thresholds-intro = Hier stelt u in wanneer de caseload van uw team een signaal geeft. Een leeg veld volgt de instelling van de gemeente, of anders de standaard.
thresholds-save = Bewaar drempels
thresholds-saved = De drempels zijn bewaard. Ze gelden meteen op de caseload.
thresholds-whole-number = Vul een heel getal in, of laat het veld leeg.
threshold-waakvlam_rhythm_days = Contactritme waakvlam (dagen)
threshold-waakvlam_rhythm_days-hint = Als er geen ritme is afgesproken. Standaard { $default }; 0 is geen standaard. Van { $min } tot { $max }.
threshold-individual_rhythm_days = Contactritme individuele begeleiding (dagen)
threshold-individual_rhythm_days-hint = Als er geen ritme is afgesproken. Standaard { $default }; 0 is geen standaard. Van { $min } tot { $max }.
threshold-intensive_rhythm_days = Contactritme intensieve begeleiding (dagen)
threshold-intensive_rhythm_days-hint = Als er geen ritme is afgesproken. Standaard { $default }; 0 is geen standaard. Van { $min } tot { $max }.
threshold-contact_grace_days = Speling op het contactritme (dagen)
threshold-contact_grace_days-hint = Zoveel dagen later dan het ritme geeft nog geen signaal. Standaard { $default }. Van { $min } tot { $max }.
threshold-check_in_expected_days = Check-in verwacht binnen (dagen)
threshold-check_in_expected_days-hint = Voor waakvlam. Standaard { $default }; 0 als uw inwoners de app niet gebruiken. Van { $min } tot { $max }.
threshold-wellbeing_window = Check-ins voor een trend
threshold-wellbeing_window-hint = Zoveel laatste check-ins laten een daling zien. Standaard { $default }. Van { $min } tot { $max }.
threshold-wellbeing_low = Laag welbevinden (1 tot 5)
threshold-wellbeing_low-hint = Een check-in op of onder dit cijfer geeft meteen een signaal. Standaard { $default }; 0 zet dit uit. Van { $min } tot { $max }.
threshold-indication_ending_days = Indicatie loopt af (dagen vooraf)
threshold-indication_ending_days-hint = Zoveel dagen voor het einde verschijnt het signaal. Standaard { $default }. Van { $min } tot { $max }.
threshold-bell_grace_hours = Hulpvraag telt na (uren)
threshold-bell_grace_hours-hint = Standaard { $default }: een hulpvraag telt meteen. Van { $min } tot { $max }.
threshold-unassigned_working_days = Nieuwe toewijzing zonder begeleider (werkdagen)
threshold-unassigned_working_days-hint = Na zoveel werkdagen zonder begeleider is een nieuwe toewijzing een signaal, ook voor de gemeente. Standaard { $default }. Van { $min } tot { $max }.

# Inwoner (B1, je)
me-new-contact = Je hebt een nieuwe contactpersoon: { $name }. Dat is zo sinds { $date }.
me-new-contact-previous = Je hebt een nieuwe contactpersoon: { $name }. Dat is zo sinds { $date }. { $previous } is niet meer je contactpersoon.

# Afschaalverzoeken van de gemeente (aanbieder)
nav-scale-down = Afschaalverzoeken
sdr-title = Afschaalverzoeken van de gemeente
sdr-intro = De gemeente vraagt u per inwoner wanneer de begeleiding kan afschalen naar waakvlam. Stel een datum voor, of schrijf waarom het nog niet kan. De consulent ziet uw antwoord.
sdr-none = Er wachten geen afschaalverzoeken op een antwoord.
sdr-product = Product
sdr-period = Periode
sdr-planned = Gepland afschaalmoment
sdr-planned-none = nog niet vastgelegd
sdr-professional = Begeleider
sdr-asked = Gevraagd op
sdr-note = Toelichting van de gemeente
sdr-proposed-date = Voorgestelde datum
sdr-proposed-date-hint = Vanaf vandaag, tot het einde van de indicatie. Leeg als het nog niet kan.
sdr-reason = Toelichting
sdr-reason-hint = Verplicht als u geen datum voorstelt: waarom kan afschalen nog niet?
sdr-send = Stuur antwoord
sdr-answered = Uw antwoord is naar de gemeente gestuurd.
sdr-date-invalid = Vul een geldige datum in, bijvoorbeeld 1-3-2027.
threshold-bell_escalation_working_hours = Hulpvraag naar de teamleider na (werkuren)
threshold-bell_escalation_working_hours-hint = Een hulpvraag die zolang niemand oppakt, gaat ook naar de teamleider. Werkuren: maandag tot en met vrijdag, 9 tot 17 uur. Standaard { $default }. Van { $min } tot { $max }.
