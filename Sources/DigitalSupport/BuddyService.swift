import Foundation
import KohtaamoBase

/// The rules of digital buddies. Anyone on the staff may take the
/// network's course; passing every module's quiz completes it, and that
/// completion is the buddy right. Coordinators write the course. Workers
/// and coordinators assign registered clients to trained buddies of their
/// own organisation; a buddy sees only those clients: their nickname, their
/// sign-ups to the organisation's group sessions, their goals and
/// appointments (`BuddyClientFacts`), nothing more. The course's own rules
/// are in `+Course`.
package struct BuddyService: Sendable {
    package let repository: any BuddyRepository
    package let digital: DigitalService
    package let staff: any StaffDirectory
    package let facts: any BuddyClientFacts

    package init(repository: any BuddyRepository, digital: DigitalService, staff: any StaffDirectory, facts: any BuddyClientFacts) {
        (self.repository, self.digital, self.staff, self.facts) = (repository, digital, staff, facts)
    }

    var clock: AppClock { digital.clock }

    // MARK: who

    /// Network coordinators and coordinators write the course.
    package func requireCoordinator(_ p: StaffPrincipal) throws {
        guard p.role.canAdminister else { throw BuddyRefusal.courseNotAllowed }
    }

    /// Volunteers do not see whom the organisation's buddies help.
    package func requireWorker(_ p: StaffPrincipal) throws {
        guard p.role != .volunteer else { throw BuddyRefusal.notAllowed }
    }

    // MARK: taking the course

    /// The course as one person stands in it.
    package struct Standing: Sendable {
        package var modules: [BuddyModule]
        package var progress: [UUID: BuddyProgress]
        package var training: BuddyTraining?

        package func done(_ m: BuddyModule) -> Bool { progress[m.id]?.doneMs != nil }
        /// Passed, but the module has changed since.
        package func changed(_ m: BuddyModule) -> Bool { done(m) && (progress[m.id]?.doneVersion ?? 0) < m.version }
        package var doneCount: Int { modules.filter(done).count }
    }

    package func standing(_ p: StaffPrincipal) async throws -> Standing {
        let progress = try await repository.progress(staff: p.staffID)
        return Standing(
            modules: try await repository.modules(network: p.networkID),
            progress: Dictionary(progress.map { ($0.module, $0) }, uniquingKeysWith: { a, _ in a }),
            training: try await repository.training(staff: p.staffID))
    }

    /// A module of the asker's network's course.
    package func module(_ p: StaffPrincipal, id: UUID) async throws -> BuddyModule {
        guard let m = try await repository.module(id: id), m.network == p.networkID else { throw BuddyRefusal.notFound }
        return m
    }

    /// What a try at a quiz came to.
    package struct Outcome: Sendable, Equatable {
        /// The questions to look at again, counted from 1; empty when passed.
        package var wrong: [Int]
        package var passed: Bool { wrong.isEmpty }
        /// The whole course is completed (now or before).
        package var completed: Bool
    }

    /// A try at a module's quiz: the chosen option of each question (nil:
    /// not answered, which counts as wrong). `strict` (the API): every
    /// question needs an answer of an option it has, else `bad_answer`.
    /// Every right: the module is done, and with the last one the course.
    package func answer(_ p: StaffPrincipal, module id: UUID, _ answers: [Int?], strict: Bool) async throws -> Outcome {
        let m = try await module(p, id: id)
        if strict {
            guard answers.count == m.quiz.count,
                zip(answers, m.quiz).allSatisfy({ a, q in a.map { q.options.indices.contains($0) } ?? false })
            else { throw BuddyRefusal.badAnswer }
        }
        let wrong = m.quiz.indices.filter { i in i >= answers.count || answers[i] != m.quiz[i].right }.map { $0 + 1 }
        try await repository.recordAttempt(staff: p.staffID, module: m.id, passed: wrong.isEmpty, version: m.version, nowMs: clock.nowMs)
        var standing = try await standing(p)
        if standing.training == nil, wrong.isEmpty, !standing.modules.isEmpty, standing.modules.allSatisfy(standing.done) {
            let training = BuddyTraining(staff: p.staffID, network: p.networkID, completedMs: clock.nowMs)
            try await repository.markTrained(training)
            standing.training = training
            try await digital.record(p, "digital.buddy_trained", p.staffID)
        }
        return Outcome(wrong: wrong, completed: standing.training != nil)
    }

    // MARK: assigning clients

    /// A trained staff member of the organisation, as a worker chooses them.
    package struct Buddy: Sendable {
        package var id: UUID
        package var workName: String
        package var completedMs: Int64
    }

    /// The organisation's active staff who have completed the course.
    package func buddies(_ p: StaffPrincipal) async throws -> [Buddy] {
        try requireWorker(p)
        let people = try await staff.members(organisations: [p.organisationID])
        let trained = try await repository.trainings(staff: people.map(\.id))
        return people.compactMap { s in trained[s.id].map { Buddy(id: s.id, workName: s.workName, completedMs: $0.completedMs) } }
            .sorted { $0.workName < $1.workName }
    }

    /// The organisation's assignments, each with the client's nickname.
    package func assignments(_ p: StaffPrincipal) async throws -> [(assignment: BuddyAssignment, nickname: String)] {
        try requireWorker(p)
        var out: [(BuddyAssignment, String)] = []
        for a in try await repository.assignments(organisation: p.organisationID) {
            out.append((a, try await digital.members.nickname(member: a.member) ?? ""))
        }
        return out
    }

    /// Assigns the registered client known by `nickname` to `buddy`, who
    /// must be an active staff member of the asker's organisation who has
    /// completed the course. Assigning again gives the same assignment.
    package func assign(_ p: StaffPrincipal, buddy: UUID, nickname: String) async throws -> (BuddyAssignment, created: Bool) {
        try requireWorker(p)
        guard let person = try await staff.member(id: buddy), person.organisationID == p.organisationID else { throw BuddyRefusal.badBuddy }
        guard try await repository.training(staff: buddy) != nil else { throw BuddyRefusal.notTrained }
        let name = nickname.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, name.count <= Buddies.maxNickname, let member = try await digital.members.member(nickname: name) else {
            throw BuddyRefusal.memberNotFound
        }
        let made = BuddyAssignment(organisation: p.organisationID, buddy: buddy, member: member.id, assignedBy: p.staffID, createdMs: clock.nowMs)
        let stored = try await repository.assign(made)
        if stored.id == made.id { try await digital.record(p, "digital.buddy_assign", stored.id) }
        return (stored, stored.id == made.id)
    }

    package func unassign(_ p: StaffPrincipal, id: UUID) async throws {
        try requireWorker(p)
        guard let a = try await repository.assignment(id: id), a.organisation == p.organisationID, try await repository.unassign(id: id) else {
            throw BuddyRefusal.notFound
        }
        try await digital.record(p, "digital.buddy_unassign", id)
    }

    // MARK: the buddy's own view

    /// One assigned client as their buddy sees them.
    package struct Client: Sendable {
        package var assignment: BuddyAssignment
        package var nickname: String
        package var sessions: [DigitalService.MySeat]
        package var goals: [BuddyGoal]
        package var appointments: [BuddyAppointment]
    }

    /// The asker's clients, if they have completed the course; refused
    /// (`buddy_course_not_done`) before. Sessions are only the
    /// organisation's: the buddy acts for it, not for others.
    package func myClients(_ p: StaffPrincipal) async throws -> (training: BuddyTraining, clients: [Client]) {
        guard let training = try await repository.training(staff: p.staffID) else { throw BuddyRefusal.courseNotDone }
        var clients: [Client] = []
        for a in try await repository.assignments(buddy: p.staffID) where a.organisation == p.organisationID {
            let seats = try await digital.mine(member: a.member).filter { $0.session.organisation == p.organisationID }
            clients.append(
                Client(
                    assignment: a, nickname: try await digital.members.nickname(member: a.member) ?? "", sessions: seats,
                    goals: try await facts.goals(of: a.member, organisation: p.organisationID),
                    appointments: try await facts.appointments(of: a.member, organisation: p.organisationID)))
        }
        return (training, clients)
    }
}
