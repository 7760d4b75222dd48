/// Fixed vocabularies the simulator draws from: names, user agents and attack payloads.
enum SimulatedNames {
    static let first = [
        "aaron", "adele", "ahmed", "aiko", "alba", "alex", "amara", "ana", "andrei", "anna", "arjun", "ben",
        "bianca", "carla", "chen", "chloe", "daniel", "dara", "david", "diego", "elena", "emma", "farah", "felix",
        "hana", "ines", "ivan", "jack", "jamal", "jana", "julia", "kai", "karim", "laura", "leo", "lina",
        "lucas", "maria", "marek", "mei", "nadia", "noah", "olga", "omar", "paula", "priya", "rafael", "sara",
    ]
    static let last = [
        "adams", "alvarez", "bauer", "bianchi", "brown", "chen", "costa", "dubois", "evans", "fischer", "garcia",
        "gupta", "hansen", "hughes", "ito", "jansen", "kim", "kowalski", "larsen", "lee", "lopez", "martin",
        "meyer", "moreau", "nakamura", "novak", "okafor", "olsen", "patel", "perez", "petrov", "quinn", "rossi",
        "santos", "schmidt", "silva", "singh", "smith", "suzuki", "tanaka", "taylor", "torres", "vogel",
        "wagner", "walker", "wang", "weber", "young",
    ]

    /// The shop's own apps and the browsers of its web front end.
    static let appAgents = [
        "ShopApp/5.12.0 (iPhone; iOS 18.1; Scale/3.00)",
        "ShopApp/5.12.0 (iPhone; iOS 17.6.1; Scale/3.00)",
        "ShopApp/5.11.2 (Android 14; Pixel 8)",
        "ShopApp/5.12.0 (Android 15; SM-S921B)",
        "ShopApp/5.10.4 (Android 13; moto g84)",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
        "Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
    ]

    /// Browser strings a stuffing tool rotates through, plus the scripts behind it.
    static let stuffingAgents = [
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/118.0.0.0 Safari/537.36",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:109.0) Gecko/20100101 Firefox/119.0",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/117.0.0.0 Safari/537.36",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 Mobile/15E148 Safari/604.1",
        "python-requests/2.31.0",
        "okhttp/4.9.2",
    ]

    static let healthAgent = "kube-probe/1.31"
    static let awsHealthAgent = "ELB-HealthChecker/2.0"
    static let serviceAgent = "billing-worker/3.4.1 (+https://billing.internal.example.com)"
    static let partnerAgent = "AcmeSync/2.7.3 (+https://acme.example/integrations)"
    static let scraperAgents = ["python-requests/2.32.3", "Go-http-client/2.0", "python-httpx/0.27.2"]
    static let bruteForceAgent = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36"
    static let postmanAgent = "PostmanRuntime/7.42.0"
    static let fuzzerAgent = "Fuzz Faster U Fool v2.1.0-dev"
    static let proxiedBrowserAgent = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"

    /// What an anonymous scanner asks for: method, path, query, status. Paths outside the API and
    /// `.env`-style files are 404; payloads in a documented route's query fail validation (400).
    static let scannerProbes: [(String, String, String?, Int)] = [
        ("GET", "/.env", nil, 404),
        ("GET", "/.git/config", nil, 404),
        ("GET", "/actuator/env", nil, 404),
        ("GET", "/actuator/heapdump", nil, 404),
        ("GET", "/wp-admin/", nil, 404),
        ("GET", "/wp-login.php", nil, 404),
        ("GET", "/phpmyadmin/index.php", nil, 404),
        ("GET", "/server-status", nil, 404),
        ("GET", "/v1/admin/users", nil, 403),
        ("GET", "/v1/admin/export", "format=csv", 403),
        ("GET", "/v1/admin/config", nil, 403),
        ("GET", "/internal/metrics", nil, 404),
        ("GET", "/internal/admin/users", nil, 404),
        ("GET", "/v1/products", "q=%27%20OR%201%3D1--", 400),
        ("GET", "/v1/products", "q=1%27%20UNION%20SELECT%20username,password%20FROM%20users--", 400),
        ("GET", "/v1/products", "q=\"><script>alert(document.domain)</script>", 400),
        ("GET", "/v1/products", "page=1%20AND%20SLEEP(5)", 400),
        ("GET", "/v1/products/5001'", nil, 400),
        ("GET", "/v1/products", "q=../../../../etc/passwd", 400),
        ("GET", "/v1/customers/70000", "fields=*,password_hash", 403),
        ("GET", "/console", nil, 404),
        ("GET", "/graphql", "query=%7B__schema%7Btypes%7Bname%7D%7D%7D", 404),
    ]

    /// What an authenticated non-admin tries: privileged functions, answered 403 or 404.
    static let privilegeProbes: [(String, String, String?, Int)] = [
        ("GET", "/v1/admin/users", nil, 403),
        ("GET", "/v1/admin/users", "role=admin", 403),
        ("POST", "/v1/admin/users", nil, 403),
        ("DELETE", "/v1/admin/users/40001", nil, 403),
        ("GET", "/v1/admin/export", nil, 403),
        ("GET", "/v1/admin/export", "table=customers", 403),
        ("GET", "/v1/admin/config", nil, 403),
        ("PUT", "/v1/admin/config", nil, 403),
        ("GET", "/v1/admin/roles", nil, 404),
        ("GET", "/v1/admin/audit-log", nil, 404),
        ("GET", "/internal/users", nil, 404),
        ("POST", "/v1/admin/impersonate", "user=40001", 404),
    ]
}
