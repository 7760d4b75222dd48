import Foundation

/// The simulated shop API: its documented operations and their OpenAPI 3.0.3 description.
///
/// Paths are written exactly as logged (the server URL has no base path), so the spec's templates
/// match the log's paths without stripping. `GET /v1/accounts/{accountId}` is documented but
/// deprecated in favour of `/v2`; `/v0/…`, `/v1/internal/…` and `/v1/debug/…` are served but not
/// documented: they are the shadow endpoints.
enum SimulatedAPI {
    /// One documented operation.
    struct Operation {
        var method: String
        var path: String
        var summary: String
        var deprecated = false
        /// `user` (Basic auth), `key` (API key), `user-or-key`, `admin` or `none`.
        var access: String
        /// Query parameters the operation takes, besides the API key.
        var query: [String] = []
    }

    static let login = "/v1/login"
    static let passwordReset = "/v1/password-reset"
    static let accountV1 = "/v1/accounts/{accountId}"
    static let accountV2 = "/v2/accounts/{accountId}"
    static let accountOrders = "/v1/accounts/{accountId}/orders"
    static let orders = "/v1/orders"
    static let order = "/v1/orders/{orderId}"
    static let products = "/v1/products"
    static let product = "/v1/products/{productId}"
    static let customer = "/v1/customers/{customerId}"
    static let adminUsers = "/v1/admin/users"
    static let health = "/health"

    static let operations: [Operation] = [
        Operation(method: "POST", path: login, summary: "Log in with HTTP Basic credentials", access: "user"),
        Operation(method: "POST", path: passwordReset, summary: "Request a password-reset email", access: "none"),
        Operation(
            method: "GET", path: accountV1, summary: "Get an account (use /v2; removed after 2027-03-31)",
            deprecated: true, access: "user"),
        Operation(method: "GET", path: accountV2, summary: "Get an account", access: "user"),
        Operation(method: "PUT", path: accountV2, summary: "Update an account's profile", access: "user"),
        Operation(method: "GET", path: accountOrders, summary: "List an account's orders", access: "user-or-key"),
        Operation(method: "POST", path: orders, summary: "Place an order", access: "user"),
        Operation(method: "GET", path: order, summary: "Get an order", access: "user-or-key"),
        Operation(method: "GET", path: products, summary: "List products (the public catalogue)", access: "none", query: ["page", "q"]),
        Operation(method: "GET", path: product, summary: "Get a product (the public catalogue)", access: "none"),
        Operation(method: "GET", path: customer, summary: "Get a customer record", access: "user-or-key"),
        Operation(method: "GET", path: adminUsers, summary: "List users (administrators only)", access: "admin"),
        Operation(method: "GET", path: health, summary: "Liveness probe", access: "none"),
    ]

    /// The documented path templates, for building a `RouteTable` like ingest's.
    static var documentedPaths: [String] {
        var seen: [String] = []
        for op in operations where !seen.contains(op.path) { seen.append(op.path) }
        return seen
    }

    /// The OpenAPI 3.0.3 document, paths in a stable order.
    static func openAPIYAML() -> String {
        var y = """
            openapi: 3.0.3
            info:
              title: Example Shop API
              version: 2.4.0
              description: >-
                Accounts, orders, products and customers for the example shop. Version 1 of the account
                resource is deprecated; clients must move to /v2 before 2027-03-31.
            servers:
              - url: https://api.example.com
            security:
              - basicAuth: []
              - apiKeyQuery: []
              - apiKeyHeader: []
            paths:

            """
        for path in documentedPaths {
            y += "  \(path):\n"
            let parameters = pathParameters(path)
            if !parameters.isEmpty {
                y += "    parameters:\n"
                for name in parameters {
                    y += "      - name: \(name)\n        in: path\n        required: true\n"
                    y += "        schema:\n          type: integer\n          format: int64\n"
                }
            }
            for op in operations where op.path == path {
                y += operationYAML(op)
            }
        }
        y += """
            components:
              securitySchemes:
                basicAuth:
                  type: http
                  scheme: basic
                apiKeyQuery:
                  type: apiKey
                  in: query
                  name: api_key
                apiKeyHeader:
                  type: apiKey
                  in: header
                  name: apikey
              schemas:
                Error:
                  type: object
                  properties:
                    code:
                      type: string
                    message:
                      type: string
                  required: [code, message]
                  additionalProperties: false

            """
        return y
    }

    private static func operationYAML(_ op: Operation) -> String {
        let id = operationID(op)
        var y = "    \(op.method.lowercased()):\n"
        y += "      operationId: \(id)\n"
        y += "      summary: \(yamlQuoted(op.summary))\n"
        if op.deprecated { y += "      deprecated: true\n" }
        switch op.access {
        case "none": y += "      security: []\n"
        case "user", "admin": y += "      security:\n        - basicAuth: []\n"
        default: break
        }
        if !op.query.isEmpty {
            y += "      parameters:\n"
            for name in op.query {
                let type = name == "page" ? "integer" : "string"
                y += "        - name: \(name)\n          in: query\n          required: false\n"
                y += "          schema:\n            type: \(type)\n"
                y += name == "page" ? "            minimum: 1\n" : "            maxLength: 100\n"
            }
        }
        if op.method == "POST" || op.method == "PUT" {
            y += "      requestBody:\n        required: true\n        content:\n          application/json:\n"
            y += "            schema:\n              type: object\n              additionalProperties: false\n"
        }
        y += "      responses:\n"
        let success = op.method == "POST" && op.path == orders ? "201" : (op.path == passwordReset ? "202" : "200")
        y += "        '\(success)':\n          description: OK\n"
        if op.access != "none" {
            y += "        '401':\n          description: Not authenticated\n"
            y += "        '403':\n          description: Not allowed\n"
        }
        if op.path.contains("{") { y += "        '404':\n          description: Not found\n" }
        if op.path != health {
            y += "        '429':\n          description: Too many requests\n"
            y += "          headers:\n            Retry-After:\n              schema:\n                type: integer\n"
        }
        return y
    }

    /// `getV1OrdersOrderId`-style ids, unique per method and path.
    static func operationID(_ op: Operation) -> String {
        var id = op.method.lowercased()
        for segment in op.path.split(separator: "/") {
            let word = segment.filter { $0 != "{" && $0 != "}" && $0 != "-" }
            id += word.prefix(1).uppercased() + word.dropFirst()
        }
        return id
    }

    static func pathParameters(_ path: String) -> [String] {
        path.split(separator: "/").filter { $0.hasPrefix("{") && $0.hasSuffix("}") }.map { String($0.dropFirst().dropLast()) }
    }

    /// A double-quoted YAML scalar (summaries contain `:` and `;`).
    static func yamlQuoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
