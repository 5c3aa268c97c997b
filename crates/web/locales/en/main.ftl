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
login-locked = Too many failed attempts. Wait { $minutes } minutes and try again.
login-expired = You were logged out because you were inactive for a while. Please log in again.
login-logged-out = You have been logged out.
login-csrf = The form had expired. Please try again.
login-forgot = Forgot your password? Ask your professional or the administrator for a new one.

session-notice = You will be logged out after { $minutes } minutes without activity (at { $time }). Your session ends at { $end } at the latest; then you log in again.
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
