# Waakvlam — English texts (second locale; Dutch is the source).
app-name = Waakvlam
skip-to-content = Skip to content
language-switch = Nederlands
language-switch-lang = nl
nav-label = Main menu
logged-in-as = Logged in as { $name } ({ $role })
logout = Log out
footer-text = Waakvlam — open source, EUPL-1.2

role-admin = administrator
role-consultant = Wmo consultant
role-professional = professional
role-team_lead = team lead
role-analyst = policy analyst
role-resident = resident
role-contract_manager = contract manager

nav-caseload = Caseload
nav-worklist = Worklist
nav-monitoring = Monitoring
nav-admin = Administration
nav-me = My page

login-title = Log in
login-intro = Log in with your e-mail address and password.
login-email = E-mail address
login-password = Password
login-submit = Log in
login-failed = The e-mail address or password is not correct. Please try again.
login-reset = This password no longer works. On { $date } at { $time } a new password was chosen, with a login code from { $by }. Was that not you? Call your care worker straight away.
login-locked = Too many failed attempts. Wait { $minutes ->
        [one] 1 minute
       *[other] { $minutes } minutes
    } and try again.
login-expired = You were logged out because you were inactive for a while. Please log in again.
login-logged-out = You have been logged out.
login-csrf = The form had expired. Please try again.
login-forgot = Forgot your password? Ask your professional or the administrator for a new one.

session-notice = Without activity you are logged out after { $minutes } minutes ({ $time }). At the latest { $end } you log in again.
session-at-time = at { $time }
session-at-day-time = on { $day } at { $time }
session-resident-end = You will be logged out { $at }. Then you log in again.
session-extend = Stay logged in

caseload-title-professional = My caseload
caseload-title-team = Team caseload
caseload-intro = Residents with a current indication assigned to you.
caseload-intro-team = Residents with a current indication with the team.
caseload-empty = There are no residents on this caseload yet.
caseload-bells = Help requests (bell) not yet acknowledged
col-name = Name
col-product = Product
col-start = Start
col-end = Runs until
col-professional = Professional
col-municipality = Municipality
col-count = Count
no-end = no end date
unassigned = not yet assigned

worklist-title = Worklist
worklist-intro = Requests from providers and indications that need attention in { $organisation }.
worklist-pending = Requests to scale up or down awaiting a decision
worklist-active = Current indications by intensity
level-intensive = Intensive (BTS)
level-individual = Individual (BT)
level-waakvlam = Waakvlam
level-other = Other

monitoring-title = Monitoring
monitoring-intro = Indications issued per municipality in { $year }. Totals only, never personal data.
monitoring-total = Total

admin-title = Administration
admin-intro = Accounts of this installation.
col-email = E-mail address
col-role = Role
col-organisation = Organisation
col-active = Active
yes = yes
no = no

me-title = How are you doing?
me-contact = Your contact person
me-contact-phone = Phone: { $phone }
me-no-contact = You have no contact person right now. Call the municipality if you want help.
me-last-contact = You last had contact on { $date }.

error-title = Something went wrong
error-not-found = This page does not exist.
error-forbidden = You do not have access to this page.
error-internal = Something went wrong on our side. Please try again later.
error-choose-decision = Choose confirm or decline.
error-csrf = This form has expired or does not belong to this page. Reload the page and try again.
error-back = Back to the start page

# Signals (caseload)
signal-kind-bell_open = Call for help open
signal-kind-wellbeing_declining = Wellbeing declining
signal-kind-no_contact_yet = No contact yet
signal-kind-contact_overdue = Contact overdue
signal-kind-check_in_missed = Check-in missed
signal-kind-indication_ending = Indication ending
signal-kind-scale_down_due = Scale-down moment reached
signal-bell_open =
    { $count ->
        [1] Called for help
       *[other] Called for help { $count } times, the first time
    } { $days ->
        [0]
            { $hours ->
                [0] less than an hour ago
                [1] 1 hour ago
               *[other] { $hours } hours ago
            }
        [1] 1 day ago
       *[other] { $days } days ago
    }, not picked up yet
signal-wellbeing_declining =
    Wellbeing declining: { $values } over the last { $count ->
        [2] two
        [3] three
        [4] four
        [5] five
       *[other] { $count }
    } check-ins
signal-no_contact_yet =
    No contact since the start { $days ->
        [1] 1 day
       *[other] { $days } days
    } ago, { $rhythm_source ->
        [agreed] agreed
       *[default] default
    }: { $rhythm ->
        [1] every day
       *[other] every { $rhythm } days
    }
signal-contact_overdue =
    Last contact { $days ->
        [1] 1 day
       *[other] { $days } days
    } ago, { $rhythm_source ->
        [agreed] agreed
       *[default] default
    }: { $rhythm ->
        [1] every day
       *[other] every { $rhythm } days
    }
signal-check_in_missed = Check-in missed
signal-indication_ending =
    { $days ->
        [0] Indication ends today
        [1] Indication ends tomorrow
       *[other] Indication ends in { $days } days
    }
signal-scale_down_due =
    Scale-down moment reached: discuss scaling down to { $level ->
        [intensive] individual support
       *[other] waakvlam
    }
caseload-no-signals = No signals
caseload-order = Order: whoever needs the most attention now stands at the top. Heaviest signal first: { $order }. More signals add up; with the same signal, whoever has waited longer goes first. Without a signal: by name.
caseload-why-label = Why in this place
caseload-why-none = No signals: by name
caseload-why-bell_open =
    Bell not picked up ({ $days ->
        [0]
            { $hours ->
                [0] less than an hour
                [1] 1 hour
               *[other] { $hours } hours
            }
        [1] 1 day
       *[other] { $days } days
    }{ $count ->
        [1] {""}
       *[other] , { $count } times
    })
caseload-why-wellbeing_declining = Wellbeing declining ({ $values })
caseload-why-no_contact_yet = No contact yet since the start on { $date }
caseload-why-contact_overdue = No contact since { $date }
caseload-why-check_in_missed = No check-in since { $date }
caseload-why-check_in_missed-start = No check-in yet since the start on { $date }
caseload-why-indication_ending = Indication ends on { $date }
caseload-why-scale_down_due =
    { $days ->
        [0] Scale-down moment is today
       *[other] Scale-down moment passed since { $date }
    }
caseload-new-message = New message
caseload-new-help = New request for help
caseload-new-proposal = New goal proposed
caseload-new-label = New from the resident
caseload-filter-legend = Filter the caseload
caseload-filter-signal = Signal
caseload-filter-product = Product
caseload-filter-municipality = Municipality
caseload-filter-all = All
caseload-filter-apply = Show
caseload-filter-reset = Show all residents
caseload-counts = Signals on this caseload
caseload-showing = { $shown } of { $total } residents
col-signals = Why attention
col-rhythm = Contact rhythm
rhythm-days = every { $days } days
caseload-unassigned = Residents without a professional
caseload-unassigned-none = Every resident of the team has a professional.
caseload-assign = Assign
caseload-assign-to = Professional for { $name }
caseload-assigned = { $name } has been assigned to { $professional }.

# Resident page (professional)
client-now = What matters now
client-signals-none = No signals: things go as agreed.
client-current = Current indication
client-no-current = No current indication.
client-indication = { $product } from { $start } to { $end }
client-indication-open = { $product } from { $start }, with no end date
client-rhythm = Agreed contact rhythm
client-rhythm-none = Not agreed yet (default { $days } days)
client-contact-person = Contact person
client-last-contact = Last contact
client-never = never
client-born = Born { $date }
client-open-bells = Calls for help (bell)
client-bell-rung = Rang on { $when }
client-bell-acknowledged = Picked up on { $when }
client-bell-acknowledge = Pick up
client-bell-resolution = What was done?
client-bell-resolve = Resolve
client-pending = Requests awaiting the municipality
request-up = Scale up
request-down = Scale down
request-pending-line = { $direction } to { $product } from { $start }, requested { $when }
client-plan = Plan
client-goals = Goals
client-agreements = Agreements
client-progress = Progress
client-plan-empty = The plan is still empty.
client-log-contact = Log a contact
client-contact-date = Date
client-contact-channel = How
client-contact-duration = Duration in minutes (optional)
client-contact-wellbeing = Wellbeing 1–5 (optional)
client-contact-note = Note (optional)
client-contact-save = Save contact
client-contact-saved = Contact logged.
client-set-rhythm = Change contact rhythm
client-rhythm-every = Every
client-rhythm-unit = Unit
unit-days = days
unit-weeks = weeks
client-rhythm-save = Save rhythm
client-rhythm-saved = Contact rhythm saved.
client-delivery = Start of support
client-delivery-none = Not reported yet. The first contact counts as the start.
client-delivery-start = Report the start of support
client-delivery-intro = Did support begin before the first contact you logged here? Then give the day. When the allocation came as an iWmo message, the municipality receives a start message (WMO305).
client-delivery-day = First day of support
client-delivery-save = Report start
client-delivery-saved = Start of support recorded.
client-bell-saved = Call for help updated.
client-scale = Scale up or down
client-scale-intro = Scaling up is immediate, without a new intake: you remain the professional. The municipality decides.
client-scale-direction = Direction
client-scale-product = To product
client-scale-start = Requested start date
client-scale-reason = Reason
client-scale-urgency = Urgency
urgency-normal = Normal
urgency-urgent = Urgent
client-scale-send = Send request
client-scale-sent = Request sent to the municipality.
client-restart = Ask for support again
client-restart-intro = The support has ended. Is it going less well again? Ask the municipality for new support, without a new intake. The municipality decides.
client-timeline = Timeline
client-planned = Planned
client-timeline-empty = No events yet.
client-older = Older events
client-newer = Newer events
client-refused-contact = The contact was not saved. Please correct:
client-refused-rhythm = The contact rhythm was not saved. Please correct:
client-refused-bell = The request for help was not closed. Please correct:
client-refused-scale = The request was not sent. Please correct:
client-refused-end = The waakvlam was not ended. Please correct:
channel-visit = Home visit
channel-phone = Phone
channel-video = Video
channel-message = Message
channel-walk_in = Walk-in
tl-contact = Contact ({ $channel }){ $by }
tl-check-in = Check-in: wellbeing { $wellbeing }
tl-bell-rung = Called for help
tl-bell-acknowledged = Call for help picked up{ $by } after { $minutes } minutes
tl-bell-resolved = Call for help resolved{ $by }
tl-indication-started = Indication { $product } started
tl-indication-ended = Indication { $product } ended
tl-request = Request { $direction }: { $status }
tl-plan = Plan: { $text }
request-status-pending = awaiting decision
request-status-approved = approved
request-status-rejected = rejected
tl-wellbeing = wellbeing { $wellbeing }
tl-minutes = { $minutes } min

# Resident: ask for help
me-help-button = I want help
me-help-title = Do you want help?
me-help-question = Do you want someone to contact you?
me-help-message = Do you want to tell us something? You may, but you don't have to.
me-help-yes = Yes, I want help
me-help-no = No, go back
me-help-sent = We have received your request.
me-help-who = { $name } will call you by { $when }.
me-help-who-team = Someone from the team will call you by { $when }.
me-help-urgent = Is it very urgent? Then call 112. Or call your GP.

# Worklist: requests
worklist-requests = Requests from professionals
worklist-requests-none = No requests are waiting.
col-direction = Request
col-requested-start = Requested start
col-age = Waiting
col-reason = Reason
col-urgency = Urgent
worklist-age = { $days ->
        [0] today
        [one] 1 working day
       *[other] { $days } working days
    }
weekday-monday = Monday
weekday-tuesday = Tuesday
weekday-wednesday = Wednesday
weekday-thursday = Thursday
weekday-friday = Friday
weekday-saturday = Saturday
weekday-sunday = Sunday
month-1 = January
month-2 = February
month-3 = March
month-4 = April
month-5 = May
month-6 = June
month-7 = July
month-8 = August
month-9 = September
month-10 = October
month-11 = November
month-12 = December
date-in-words = { $day } { $month } { $year }
date-in-words-this-year = { $day } { $month }

# Decisions on requests
col-decision = Decision
worklist-decide = Review
decide-title = Review request
decide-summary = { $direction } for { $name }: { $what }, requested start { $start }.
decide-reason = The professional's reason
decide-approve = Approve
decide-approve-intro = On approval the current indication ends the day before the new start. The new indication keeps the same professional; no new intake is needed.
decide-start = Start date
decide-scale-down = Planned scale-down moment
decide-scale-down-hint = Required for individual and intensive support: when do you expect scaling down to waakvlam?
decide-reject = Reject
decide-reject-reason = Reason for rejecting
decide-done-approved = The request has been approved. The professional sees it at once.
decide-done-rejected = The request has been rejected. The professional sees the reason at once.
decide-refused-approve = The request was not approved. Please correct:
decide-refused-reject = The request was not rejected. Please correct:
request-end-support = End support
client-end = End waakvlam
client-end-intro = Record how the waakvlam ends. It counts in the municipality's figures.
client-end-date = Last day
client-end-outcome = Outcome
outcome-independent = Independent
outcome-scaled_up = Scaled up
outcome-moved = Moved
outcome-deceased = Deceased
outcome-other = Other
client-end-save = End…
client-end-confirm-title = End the waakvlam?
client-end-confirm-intro = Are you sure? Once ended, the waakvlam leaves your caseload. The municipality sees the outcome in its figures. Starting again takes a new indication.
client-end-confirm = Yes, end it
client-end-back = No, back to the resident
client-end-saved = The waakvlam has ended.
nav-intake = New allocations
intake-title = New allocations
intake-intro = Indications the municipality allocated to your organisation that have no team yet. Choose a professional for each resident; the resident then joins their caseload. A new indication for a resident you already know goes to the same professional by itself.
intake-none = No new allocations are waiting.
intake-product = Product
intake-number = Allocation number
intake-period-label = Period
intake-period = { $start } to { $end }
intake-period-open = from { $start }, no end date
intake-scale-down = Planned scale-down moment
intake-agreed-result = Agreed result
intake-received = Received
intake-professional-for = Professional for { $name }
intake-choose = Choose a professional
intake-candidate = { $name } ({ $team }) — { $count } residents
intake-assign = Assign
intake-assigned = { $name } is now on the chosen professional's caseload.
intake-error-choose = Choose a professional.

# Plans written together (issue 12): the professional's side.
client-agreed-result = Agreed result
client-agreed-result-none = No result recorded
client-scale-down = Scale-down moment
client-scale-down-none = Not planned
client-past-results = Result at the end
client-result-line = { $product } until { $end }: { $result }. { $sentence }
client-end-result = Was the agreed result reached?
client-end-result-hint = See the agreed result at the top of the page.
client-end-result-note = In one sentence: why?
client-refused-plan = The plan was not changed. Please correct:
client-refused-plan-item = The plan was not changed. Please correct:
client-refused-proposal = The proposal was not answered. Please correct:
client-plan-saved = The plan has been updated.
client-plan-archived = It is no longer on the plan. You will find it under "Done and lapsed".
client-proposal-accepted = The proposal became a goal.
client-proposal-discussed = The resident sees that you want to discuss the proposal first.
result-choose-option = Choose…
result-reached = Reached
result-partly = Partly reached
result-not_reached = Not reached
plan-kind-goal = Goal
plan-kind-agreement = Agreement
plan-archive-done = Done
plan-archive-lapsed = Lapses
plan-proposal-open = Waiting for an answer
plan-proposal-discuss = Discuss first
plan-proposal-accepted = Became a goal
plan-add = Add a goal or agreement
plan-kind = Kind
plan-text = Text
plan-text-hint = Write it down together with the resident, in the resident's words. Short sentences, such as: "I do my own shopping every week."
plan-add-save = Add
plan-change = Change or take off the plan
plan-change-save = Save text
plan-archive-reason = Take off the plan, because
plan-archive = Take off the plan
plan-archived = Done and lapsed
plan-archived-on = { $reason } on { $date }
plan-history = History
plan-history-proposed = proposed: “{ $text }”
plan-history-written = written: “{ $text }”
plan-history-changed = changed from “{ $from }” to “{ $to }”
plan-history-system = Waakvlam
plan-proposals = Proposals of the resident
plan-proposal-state = Proposed on { $date }.
plan-proposal-discussing = You want to discuss it first.
plan-proposal-as-goal = As a goal, in your shared words
plan-proposal-accept = Accept as a goal
plan-proposal-note = What do you want to discuss first? (may be empty)
plan-proposal-discuss-button = Discuss first
plan-print = Print the plan
plan-print-now = Print
plan-print-back = Back to the resident
plan-print-title = Plan of { $name }
plan-print-date = Printed on { $date }

# iWmo message log
nav-iwmo = Message log
nav-declarations = Declarations
decl-title = Declarations
decl-intro = What providers declared per municipality (iWmo WMO323), what the municipality granted or refused (WMO325) and what still waits for an answer. A waakvlam paid per week counts every week, with or without contact. By the hour: the budget used against the ceiling. Amounts only, no residents.
decl-none = Nothing has been declared yet.
decl-caption = Declarations per provider and municipality
decl-col-provider = Provider
decl-col-municipality = Municipality
decl-col-count = Declarations
decl-col-declared = Declared
decl-col-granted = Granted
decl-col-refused = Refused
decl-col-waiting = Awaiting an answer
decl-col-budget = Budget by the hour
decl-budget-of = { $used } of { $ceiling }
decl-capped = { $count ->
    [one] 1 line cut at the ceiling
   *[other] { $count } lines cut at the ceiling
}
decl-credit = { $amount } (credit)
decl-refused-heading = Refused lines
decl-refused-none = No refused lines.
decl-col-declaration = Declaration
decl-col-line = Line
decl-col-amount = Amount
decl-col-why = Why refused
iwmo-title = Message log (iWmo)
iwmo-intro = Every iWmo message Waakvlam sent and received for your municipality or organisation, newest first. Messages travel as files over your own GGk/VECOZO connection (waakvlam iwmo export and import), or you read in received messages here and download the messages that are ready.
iwmo-none = No messages have been sent or received yet.
iwmo-caption = Messages, newest first
iwmo-col-message = Message
iwmo-col-direction = Direction
iwmo-col-parties = From and to
iwmo-col-state = Status
iwmo-col-codes = Retour codes
iwmo-out = Sent by Waakvlam
iwmo-in = Received
iwmo-from = from
iwmo-to = to
iwmo-state-pending = Ready to send
iwmo-state-sent = Sent
iwmo-state-sent-at = Sent on { $when }
iwmo-state-applied = Processed
iwmo-state-accepted = Sent and accepted by the receiver
iwmo-state-refused = Sent, refused by the receiver
iwmo-state-rejected = Rejected, not processed
iwmo-kind-wmo301 = allocation
iwmo-kind-wmo302 = allocation retour
iwmo-kind-wmo305 = start of care
iwmo-kind-wmo306 = start retour
iwmo-kind-wmo307 = stop of care
iwmo-kind-wmo308 = stop retour
iwmo-kind-wmo315 = request for allocation
iwmo-kind-wmo316 = request retour
iwmo-kind-wmo317 = request for change
iwmo-kind-wmo318 = change request retour
iwmo-kind-wmo319 = answer to a request
iwmo-kind-wmo320 = answer retour
iwmo-kind-wmo323 = declaration
iwmo-kind-wmo325 = declaration retour
iwmo-back = Back to the message log
iwmo-why = Why rejected
iwmo-resident = Resident
iwmo-resident-open = Go to the resident
iwmo-xml = The message (XML)
iwmo-download = Download the message as a file (XML)
iwmo-sent-by-hand-intro = Do you send this message yourself, for example through the VECOZO portal? Download it, send it, then mark it sent here.
iwmo-sent-by-hand = I have sent this message
iwmo-upload-link = Read in received messages
iwmo-upload-title = Read in received messages
iwmo-upload-intro = No GGk/VECOZO connection of your own? Read in the message files you received here (for example from the VECOZO portal). Waakvlam checks each message against the iWmo 3.2 standard, applies it whole or not at all, and prepares its retour. Only messages addressed to your own municipality or organisation are read.
iwmo-upload-files = Message files (XML)
iwmo-upload-hint = One or more files, together at most 1 MB.
iwmo-upload-submit = Read in
iwmo-upload-errors = Please correct this first:
iwmo-upload-none = Choose one or more message files to read in.
iwmo-upload-results = Result
iwmo-upload-applied = Applied. Its retour is ready to be sent.
iwmo-upload-rejected = Rejected and not applied. Its retour with the codes is ready to be sent.
iwmo-upload-again = This message was read before. Nothing changed.
iwmo-upload-granted = Declaration lines granted:
iwmo-upload-refused = refused:
iwmo-upload-answer-accepted = Retour read: the receiver accepted the message.
iwmo-upload-answer-refused = Retour read: the receiver refused the message.
iwmo-upload-not-ours = Not read: this message is addressed to { $receiver }, not to your municipality or organisation.
iwmo-upload-unreadable = Not read: this file is not an iWmo 3.2 message Waakvlam reads.
iwmo-upload-open = view the message
caseload-assign-refused = Not assigned.
caseload-candidate = { $name } — { $count ->
    [one] 1 resident
   *[other] { $count } residents
}
