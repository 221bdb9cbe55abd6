import Foundation
import MicroHTTP
import SurveyCore
import SurveyStore

/// `POST /api/v1/responses` and `GET /api/v1/windows`: the contracts kiosks, apps and the
/// queue system rely on.
extension WebApplication {
    func installResponsesAPI(on router: Router) {
        router.on("POST", "/api/v1/responses") { [self] request in
            let language = Language.negotiate(request)
            var submission = try Self.decodeSubmission(request, language: language)
            let visit = try visitOfAPISubmission(&submission, language: language)
            let deviceToken = request.headers[KioskDevices.header]
            let paired = try deviceToken.map { try kioskDevices.device(token: $0) != nil } ?? false
            let admission = try apiAdmission(request, vouched: visit != nil || paired)
            var validated: ValidatedSubmission
            do throws(SubmissionProblems) {
                validated = try submission.validatedReportingAll(in: directory, policy: surveyPolicy)
            } catch {
                return .now(APIError.response(for: error, language: language))
            }
            // A visit or its window's paired kiosk vouches for the rating, under its own
            // allowance; otherwise the key's provenance, or the address's limits.
            let vouchedFlag = try vouch(&validated, visit: visit, deviceToken: deviceToken)
            let marked = validated.provenance == .visit || validated.provenance == .device
                ? self.marked(validated, provenance: validated.provenance, flag: vouchedFlag)
                : self.marked(validated, provenance: admission.provenance, flag: apiFlag(admission))
            return store(marked) { [self] outcome in
                ratedVisit(visit, outcome: outcome)
                return switch outcome {
                case .success(let recorded):
                    switch recorded.kind {
                    case .stored: Response.json(Self.json(recorded.response).serialized(), status: 201)
                    case .replayed: Response.json(Self.json(recorded.response).serialized(), status: 200)
                    case .conflict: APIError.response(for: HTTPError(status: 409, code: "client_id_conflict", .clientIDConflict, in: language))
                    case .visitAlreadyRated: APIError.response(for: Self.visitAlreadyRated(language))
                    }
                case .failure:
                    APIError.response(for: Self.notStored(language))
                }
            }
        }
        router.get("/api/v1/windows") { [self] _ in
            let directory = self.directory
            let windows = directory.activeWindows.map { window -> JSON in
                let department = directory.department(id: window.departmentID)
                return .object([
                    ("code", .string(window.code)),
                    ("name", .string(window.name)),
                    ("department", .object([
                        ("code", .optional(department?.code)),
                        ("name", .optional(department?.name)),
                    ])),
                ])
            }
            return .json(JSON.object([("windows", .array(windows))]).serialized())
        }
    }

    /// Hands the submission to the group-commit writer; the reply is sent once it committed.
    func store(_ submission: ValidatedSubmission, respond: @escaping @Sendable (Result<RecordOutcome, StoreError>) -> Response) -> Reply {
        .later { [writer] deliver in
            writer.submit(submission) { outcome in
                deliver {
                    var response = respond(outcome)
                    // The operator's log says why; the client only hears that it was not stored.
                    if case .failure(let error) = outcome { response.cause = "\(error)" }
                    return response
                }
            }
        }
    }

    static func notStored(_ language: Language) -> HTTPError {
        HTTPError(status: 503, code: "not_stored", .notStored, in: language)
    }

    static func decodeSubmission(_ request: Request, language: Language) throws -> Submission {
        guard request.mediaType == "application/json" else {
            throw HTTPError(status: 415, code: "unsupported_media_type", .unsupportedMediaType, in: language)
        }
        var submission: Submission
        do {
            submission = try SubmissionPayload(json: request.body).submission()
        } catch let problem as SubmissionPayload.Problem {
            switch problem {
            case .wrongType(let name, let expected):
                let type: Phrase = switch expected {
                case .string: .expectedText
                case .listOfStrings: .expectedTextList
                case .reasonsByDimension: .expectedReasonsByDimension
                }
                throw HTTPError(status: 422, code: "invalid_field", .wrongType, ["field": name, "expected": language[type]], in: language)
            case .missingWindow:
                throw HTTPError(status: 422, code: "missing_window", .missingWindow, in: language)
            }
        } catch {
            throw HTTPError(status: 400, code: "malformed_json", .malformedJSON, in: language)
        }
        if submission.clientID == nil { submission.clientID = ClientID.make() }
        return submission
    }

    static func json(_ response: StoredResponse) -> JSON {
        .object([
            ("id", .int(response.id)),
            ("client_id", .string(response.clientID)),
            ("window", .string(response.windowCode)),
            ("department", .string(response.departmentCode)),
        ] + answers(response) + [
            ("channel", .string(response.channel.rawValue)),
            ("service_item", .optional(response.serviceItemCode)),
            ("staff", .optional(response.staffCode)),
            ("created_at", .string(response.createdAtISO8601)),
            ("rated_at", .string(response.ratedAtISO8601)),
            ("provenance", .string(response.provenance.rawValue)),
        ])
    }

    /// What the citizen answered, as every JSON shape of a response spells it.
    static func answers(_ response: StoredResponse) -> [(String, JSON)] {
        [
            ("attitude", .int(response.ratings.attitude.rawValue)),
            ("efficiency", .int(response.ratings.efficiency.rawValue)),
            ("result", .int(response.ratings.result.rawValue)),
            ("negative", .bool(response.isNegative)),
            ("comment", .optional(response.comment)),
            ("reasons", .array(response.reasons.map(JSON.string))),
        ]
    }
}
