/// The Kong gateway in front of the simulated API, as a decK declarative file.
///
/// It is the configuration an incident responder would find, weaknesses included: a prefix route
/// that forwards every `/v1` and `/v2` path (so undocumented handlers are reachable), a legacy
/// service still routed at `/v0`, no rate limit on `/v1/login`, and `key-auth` keys that also
/// work from the query string. The partner's consumer has the rate limit whose 429s show up
/// when its leaked key is abused.
enum SimulatedGateway {
    static func deckYAML(world: SimulatedWorld) -> String {
        let partner = world.partnerKey
        let service = world.serviceKey
        let limit = partnerLimitPerMinute(world)
        return """
            _format_version: "3.0"
            _info:
              select_tags:
              - shop-api
            services:
            - name: shop-api
              url: http://shop-backend.internal:8080
              connect_timeout: 5000
              read_timeout: 30000
              retries: 2
              tags:
              - shop-api
              routes:
              - name: shop-api-v1-v2
                paths:
                - /v1
                - /v2
                strip_path: false
                preserve_host: false
                protocols:
                - https
                tags:
                - shop-api
              - name: health
                paths:
                - /health
                methods:
                - GET
                strip_path: false
                protocols:
                - http
                - https
                tags:
                - shop-api
              plugins:
              - name: key-auth
                config:
                  key_names:
                  - apikey
                  - api_key
                  key_in_header: true
                  key_in_query: true
                  hide_credentials: false
                  anonymous: anonymous
                tags:
                - shop-api
            - name: legacy-accounts
              url: http://legacy-accounts.internal:8080
              tags:
              - shop-api
              - legacy
              routes:
              - name: legacy-v0
                paths:
                - /v0
                strip_path: false
                protocols:
                - https
                tags:
                - shop-api
                - legacy
            consumers:
            - username: anonymous
              tags:
              - shop-api
            - username: \(partner.consumer)
              custom_id: \(partner.awsKeyID)
              keyauth_credentials:
              - key: \(partner.secret)
                tags:
                - shop-api
              plugins:
              - name: rate-limiting
                config:
                  minute: \(limit)
                  policy: local
                  limit_by: consumer
                tags:
                - shop-api
              tags:
              - shop-api
              - partner
            - username: \(service.consumer)
              custom_id: \(service.awsKeyID)
              keyauth_credentials:
              - key: \(service.secret)
                tags:
                - shop-api
              tags:
              - shop-api
              - internal
            plugins:
            - name: file-log
              config:
                path: /var/log/kong/access.json
                reopen: true
              tags:
              - shop-api

            """
    }

    /// The partner's per-minute limit: above its own use and the leak's base rate, below the storm's.
    static func partnerLimitPerMinute(_ world: SimulatedWorld) -> Int {
        let plan = world.plan
        guard plan.scenarios.contains(.scraping) else { return 600 }
        let leak = LeakSchedule(plan: plan)
        let basePerMinute = 60_000 / leak.intervalMs
        return max(60, Int((basePerMinute * 1.5).rounded()))
    }
}
