# Team (team lead): workload, hand-over, signal thresholds

nav-team = Team
team-title = Workload { $team }
team-intro = Per professional: how many residents, who needs attention, the contacts this month against what the agreed contact rhythm asks for, and the hours a week for the caseload.
team-caption = Contacts { $from } – { $to }
team-caseload = Residents
team-attention = With a signal
team-bells = Open calls for help
team-contacts-of = { $done } of about { $expected }
team-behind = behind the rhythm
team-left = left
team-none = No professionals work in this team yet.
team-unassigned = { $count ->
    [one] One resident of the team has no professional yet.
   *[other] { $count } residents of the team have no professional yet.
}
team-unassigned-link = Assign on the caseload
team-capacity-of = Hours a week of { $name }
team-capacity-hint = Whole hours for the caseload; empty when not known.
team-capacity-save = Save hours
team-capacity-saved = The hours have been saved.
team-capacity-whole = Enter a whole number of hours, for example 24.
team-handover-of = Hand over the residents of { $name }
team-handed-over = { $count ->
    [one] One resident has been handed over to { $name }.
   *[other] { $count } residents have been handed over to { $name }.
}
team-errors-title = Check the form
team-back = Back to the workload
team-handover-title = Hand over
team-handover-intro = Give one resident or a professional's whole caseload to a colleague, for example when they leave or fall ill. The history is kept. The new professional reads your hand-over note first on the resident's page, and the resident is told who their new contact person is.
team-handover-from = From professional
team-handover-from-option = { $name } ({ $count } residents)
team-handover-choose = Choose a professional
team-handover-next = Next
team-handover-resident = Which residents
team-handover-resident-hint = Choose one resident, or hand over the whole caseload.
team-handover-all = All { $count } residents of { $name }
team-handover-to = To professional
team-handover-note = Hand-over note
team-handover-note-hint = What should the new professional know first? Agreements, what is going on, whom to call with concerns. This never goes into an e-mail.
team-handover-submit = Hand over
team-handover-error-from = Choose which professional you hand over from.
team-handover-error-to = Choose which professional you hand over to.
team-handover-error-resident = Choose a resident from the list.
intake-candidate-capacity = { $name } ({ $team }) — { $count } residents, { $hours } hours a week
intake-waiting = { $count ->
    [one] waiting 1 working day
   *[other] waiting { $count } working days
}
intake-late = Waiting too long for a professional
caseload-inbox = { $count ->
    [one] 1 new allocation is waiting for a professional.
   *[other] { $count } new allocations are waiting for a professional.
}
caseload-inbox-late = { $count ->
    [one] 1 of them has waited too long.
   *[other] { $count } of them have waited too long.
}
caseload-inbox-link = To the new allocations
caseload-waiting-since = since { $date }
caseload-handed-over = New to you: read the hand-over
client-handover-title = Hand-over
client-handover-from = { $by } handed { $name } over to you on { $date } (before with { $from }).
client-handover-from-none = { $by } handed { $name } over to you on { $date }.
client-handover-no-note = No hand-over note was written.
client-handover-read = Read
worklist-unassigned = Allocations without a professional
worklist-unassigned-intro = These residents have an indication, but the provider has not given them to a professional within the threshold. Ask the provider what is needed.
worklist-unassigned-row = { $product } at { $provider }, issued { $date } — { $days } working days without a professional

thresholds-title = Signal thresholds
thresholds-intro = Set when your team's caseload gives a signal. An empty field follows the municipality's setting, or else the default.
thresholds-save = Save thresholds
thresholds-saved = The thresholds have been saved. They apply to the caseload at once.
thresholds-whole-number = Enter a whole number, or leave the field empty.
threshold-waakvlam_rhythm_days = Contact rhythm waakvlam (days)
threshold-waakvlam_rhythm_days-hint = When no rhythm was agreed. Default { $default }; 0 means no default. From { $min } to { $max }.
threshold-individual_rhythm_days = Contact rhythm individual support (days)
threshold-individual_rhythm_days-hint = When no rhythm was agreed. Default { $default }; 0 means no default. From { $min } to { $max }.
threshold-intensive_rhythm_days = Contact rhythm intensive support (days)
threshold-intensive_rhythm_days-hint = When no rhythm was agreed. Default { $default }; 0 means no default. From { $min } to { $max }.
threshold-contact_grace_days = Slack on the contact rhythm (days)
threshold-contact_grace_days-hint = This many days past the rhythm gives no signal yet. Default { $default }. From { $min } to { $max }.
threshold-check_in_expected_days = Check-in expected within (days)
threshold-check_in_expected_days-hint = For waakvlam. Default { $default }; 0 when your residents do not use the app. From { $min } to { $max }.
threshold-wellbeing_window = Check-ins for a trend
threshold-wellbeing_window-hint = This many latest check-ins show a decline. Default { $default }. From { $min } to { $max }.
threshold-wellbeing_low = Low wellbeing (1 to 5)
threshold-wellbeing_low-hint = A check-in at or below this level signals at once. Default { $default }; 0 turns this off. From { $min } to { $max }.
threshold-indication_ending_days = Indication ending (days ahead)
threshold-indication_ending_days-hint = This many days before the end the signal appears. Default { $default }. From { $min } to { $max }.
threshold-bell_grace_hours = Call for help counts after (hours)
threshold-bell_grace_hours-hint = Default { $default }: a call for help counts at once. From { $min } to { $max }.
threshold-unassigned_working_days = New allocation without a professional (working days)
threshold-unassigned_working_days-hint = After this many working days without a professional, a new allocation is a signal, for the municipality too. Default { $default }. From { $min } to { $max }.

# Resident (plain language)
me-new-contact = You have a new contact person: { $name }. Since { $date }.
me-new-contact-previous = You have a new contact person: { $name }. Since { $date }. { $previous } is no longer your contact person.

# Scale-down requests from the municipality (provider)
nav-scale-down = Scale-down requests
sdr-title = Scale-down requests from the municipality
sdr-intro = The municipality asks you, per resident, when support can scale down to waakvlam. Propose a date, or write why not yet. The consultant sees your answer.
sdr-none = No scale-down requests are waiting for an answer.
sdr-product = Product
sdr-period = Period
sdr-planned = Planned scale-down moment
sdr-planned-none = not set yet
sdr-professional = Professional
sdr-asked = Asked on
sdr-note = The municipality's note
sdr-proposed-date = Proposed date
sdr-proposed-date-hint = From today, up to the end of the indication. Empty when not possible yet.
sdr-reason = Explanation
sdr-reason-hint = Required when you propose no date: why can support not scale down yet?
sdr-send = Send answer
sdr-answered = Your answer has been sent to the municipality.
sdr-date-invalid = Enter a valid date, for example 1-3-2027.
threshold-bell_escalation_working_hours = Call for help to the team lead after (working hours)
threshold-bell_escalation_working_hours-hint = A call for help nobody picks up within this time also goes to the team lead. Working hours: Monday to Friday, 9 to 5. Default { $default }. From { $min } to { $max }.
