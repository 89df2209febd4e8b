/// The page templates (`Resources/templates/<rawValue>.mustache`) that
/// `Views.page` renders by name. The other template files are partials,
/// included only from templates (`{{<layout}}`, `{{>code_field}}`, …);
/// `TemplateTests` checks that both lists match the files.
package enum Template: String, CaseIterable, Sendable {
    case adminCoaching = "admin_coaching"
    case adminFinder = "admin_finder"
    case adminFinderDelete = "admin_finder_delete"
    case adminFinderForm = "admin_finder_form"
    case adminGroups = "admin_groups"
    case adminHome = "admin_home"
    case adminOrganisations = "admin_organisations"
    case adminServices = "admin_services"
    case adminStaff = "admin_staff"
    case audit
    case buddyAssignments = "buddy_assignments"
    case buddyClients = "buddy_clients"
    case buddyCourse = "buddy_course"
    case buddyModule = "buddy_module"
    case buddyModuleForm = "buddy_module_form"
    case chat
    case chatDeleteForm = "chat_delete_form"
    case chatDeleted = "chat_deleted"
    case chatSettings = "chat_settings"
    case chatThanks = "chat_thanks"
    case chatTopicsForm = "chat_topics_form"
    case coachingCoachee = "coaching_coachee"
    case coachingGroup = "coaching_group"
    case coachingJoin = "coaching_join"
    case coachingService = "coaching_service"
    case coachingServices = "coaching_services"
    case coachingSettingsForm = "coaching_settings_form"
    case console
    case digitalEventForm = "digital_event_form"
    case digitalMapping = "digital_mapping"
    case digitalQuestionnaire = "digital_questionnaire"
    case digitalEvents = "digital_events"
    case digitalSessionForm = "digital_session_form"
    case digitalSessionPublic = "digital_session_public"
    case digitalSessions = "digital_sessions"
    case error
    case finder
    case finderMunicipality = "finder_municipality"
    case finderImport = "finder_import"
    case group
    case groupInvitation = "group_invitation"
    case groupModeration = "group_moderation"
    case groupPeopleForm = "group_people_form"
    case groupProgrammeForm = "group_programme_form"
    case groupQuestions = "group_questions"
    case groupRoom = "group_room"
    case groupSettingsForm = "group_settings_form"
    case home
    case hoursForm = "hours_form"
    case mappingFill = "mapping_fill"
    case mappingProgress = "mapping_progress"
    case material
    case materials
    case materialsForm = "materials_form"
    case materialsItem = "materials_item"
    case memberErased = "member_erased"
    case memberHome = "member_home"
    case memberSigninForm = "member_signin_form"
    case memberSignupForm = "member_signup_form"
    case myCoaching = "my_coaching"
    case myCoachings = "my_coachings"
    case myTimes = "my_times"
    case myCoachingGroup = "my_coaching_group"
    case myContacts = "my_contacts"
    case myDigital = "my_digital"
    case myContactDecline = "my_contact_decline"
    case myContactThread = "my_contact_thread"
    case organisationForm = "organisation_form"
    case profileForm = "profile_form"
    case reachoutChat = "reachout_chat"
    case reachoutEscalations = "reachout_escalations"
    case reachoutToday = "reachout_today"
    case reachoutCalendar = "reachout_calendar"
    case reachoutPlanForm = "reachout_plan_form"
    case reachoutPlans = "reachout_plans"
    case recoveryCodes = "recovery_codes"
    case resetForm = "reset_form"
    case secondFactor = "second_factor"
    case secondFactorSetup = "second_factor_setup"
    case stats
    case service
    case serviceForm = "service_form"
    case signinCodeForm = "signin_code_form"
    case signinForm = "signin_form"
    case staffEditForm = "staff_edit_form"
    case staffLink = "staff_link"
    case staffNewForm = "staff_new_form"
    case supervisor
    case times
    case textCardsForm = "text_cards_form"
    case transcript
    case transcriptForm = "transcript_form"
}
