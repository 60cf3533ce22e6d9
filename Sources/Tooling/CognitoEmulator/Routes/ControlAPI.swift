import FoundationEssentials
import Hummingbird
import JSONValue

/// `/_emulator/*`: fault injection, clock and readiness, for tests and scripts.
struct ControlAPI: Sendable {
    let core: EmulatorCore

    /// `POST /_emulator/faults` with one fault object or an array of them.
    func addFaults(_ request: Request, context: EmulatorContext) async throws -> Response {
        var request = request
        let bytes = try await EmulatorCore.collectBody(&request, limit: 64 * 1024)
        guard let json = try? JSONDecoder().decode(JSONValue.self, from: Data(bytes)) else {
            return Responses.json(.object([("error", .string("body must be JSON"))]), status: 400)
        }
        let specs = json.arrayValue ?? [json]
        var parsed: [Fault] = []
        for spec in specs {
            do { parsed.append(try Fault(json: spec)) } catch {
                return Responses.json(.object([("error", .string(error.message))]), status: 400)
            }
        }
        for fault in parsed { await core.faults.add(fault) }
        return Responses.json(.object([("faults", .array(await core.faults.list().map(\.json)))]), status: 201)
    }

    func listFaults(_ request: Request, context: EmulatorContext) async throws -> Response {
        Responses.json(.object([("faults", .array(await core.faults.list().map(\.json)))]))
    }

    func clearFaults(_ request: Request, context: EmulatorContext) async throws -> Response {
        await core.faults.clear()
        return Responses.empty(status: 204)
    }

    /// `POST /_emulator/clock` `{"advanceSeconds": N}` moves the emulator's clock forward.
    func clock(_ request: Request, context: EmulatorContext) async throws -> Response {
        if request.method == .post {
            var request = request
            let bytes = try await EmulatorCore.collectBody(&request, limit: 4096)
            guard let json = try? JSONDecoder().decode(JSONValue.self, from: Data(bytes)),
                let seconds = json["advanceSeconds"]?.doubleValue, seconds.isFinite, seconds >= 0
            else {
                return Responses.json(.object([("error", .string("expected {\"advanceSeconds\": number >= 0}"))]), status: 400)
            }
            core.clock.advance(by: seconds)
        }
        return Responses.json(.object([("now", .int(core.clock.seconds))]))
    }

    func health(_ request: Request, context: EmulatorContext) async throws -> Response {
        Responses.json(.object([("status", .string("ok"))]))
    }
}
