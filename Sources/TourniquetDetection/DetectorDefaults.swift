/// The default detector configuration, as the JSON a responder copies and tunes
/// (`tourniquet scope --print-config > detectors.json`, then `--config detectors.json`).
///
/// Kept as data in the binary rather than as a bundled resource, so a copied binary can never
/// lose its defaults; `DetectorConfig.load` validates it like any user file, and a test loads it.
public enum DetectorDefaults {
    public static let json = #"""
        {
          "routes": {
            "authentication": ["login", "signin", "sign-in", "/token", "oauth", "/auth", "/session"],
            "privileged": ["/admin", "/internal", "/manage", "/actuator", "/debug", "/config", "/console", "/system"],
            "password_reset": ["password-reset", "password_reset", "reset-password", "forgot", "/reset"],
            "health": ["/health", "/healthz", "/ready", "/readyz", "/livez", "/ping", "/status"],
            "login_failure_statuses": [401, 403]
          },
          "credential_stuffing": {
            "enabled": true, "severity": "high",
            "window_seconds": 600, "min_failures": 10, "min_failure_ratio": 0.8,
            "distributed_min_sources": 8, "distributed_min_failures": 40, "takeover_window_seconds": 600
          },
          "brute_force": {
            "enabled": true, "severity": "high",
            "window_seconds": 600, "min_failures": 10, "max_identities_per_source": 5
          },
          "authz_probing": {
            "enabled": true, "severity": "medium",
            "window_seconds": 600, "min_forbidden": 15, "min_privileged_forbidden": 4
          },
          "bola_enumeration": {
            "enabled": true, "severity": "critical",
            "min_distinct_objects": 40, "min_sequential_fraction": 0.5, "min_success_fraction": 0.3
          },
          "path_probing": {
            "enabled": true, "severity": "medium",
            "window_seconds": 600, "min_distinct_error_paths": 15, "min_error_ratio": 0.6
          },
          "scraping": {
            "enabled": true, "severity": "high",
            "window_seconds": 300, "min_requests_in_window": 200, "over_own_baseline": 5.0, "over_peers": 5.0,
            "storm429_window": 300, "storm429_min": 50,
            "new_sources_min": 4
          },
          "shadow_endpoint": { "enabled": true, "severity": "medium", "min_requests": 1 },
          "password_reset_abuse": {
            "enabled": true, "severity": "medium",
            "window_seconds": 3600, "max_per_account": 5, "max_per_source": 15
          },
          "geo_anomaly": { "enabled": true, "severity": "medium", "min_baseline_requests": 20 },
          "signatures": {
            "sensitive-files": {
              "min_hits": 2, "errors_only": false, "path_suffixes": [],
              "contains": ["/.env", "/.git/", "/.git", "/.svn", "/.hg/", "/.bash_history", "/.bashrc", "/.ssh", "/.aws/", "/.htpasswd",
                           "/.htaccess", "/.ds_store", "/.cvs", "/.config", "/.cache", "/.forward", "/.npmrc", "/.docker",
                           "wp-config", "/etc/passwd", "/etc/shadow", "/proc/self", "web.config", "/backup.sql", "/dump.sql",
                           "/id_rsa", "/.kube"]
            },
            "admin-interfaces": {
              "min_hits": 2, "errors_only": true, "path_suffixes": [],
              "contains": ["phpmyadmin", "/administrator", "/wp-admin", "/wp-login", "/manager/html", "+cscoe+", "/adminer",
                           "/admin/", "/admin.php", "/cpanel", "/webadmin", "/siteadmin", "/pma/", "/myadmin", "/solr/admin",
                           "/jmx-console", "/web-console", "/system/console", "/actuator", "/_profiler", "/telescope"]
            },
            "technology-probes": {
              "min_hits": 1, "errors_only": true, "path_suffixes": [".cgi", ".jsp", ".asp", ".aspx", ".action", ".php"],
              "contains": ["/cgi-bin/", "/crx/", "/_ignition/", "/vendor/phpunit", "/hnap1", "/boaform", "/wls-wsat", "/owa/",
                           "/autodiscover", "/remote/login", "/ecp/", "/struts", "/console/login", "/geoserver", "/jenkins/script",
                           "/druid/", "/nacos/", "/api/jsonws", "/invoker/", "/.well-known/acme-challenge/../"]
            },
            "injection": {
              "min_hits": 1, "errors_only": false, "path_suffixes": [],
              "contains": ["union select", "union all select", "information_schema", "sleep(", "benchmark(", "pg_sleep",
                           "load_file(", "substr(", "substring(", "char(", "chr(", "hex(", "md5(", "upper(", "distinct(",
                           ",null,", ",null", "' or ", "\" or ", "or 1=1", "' --", "';", "xp_cmdshell",
                           "<script", "<img", "<svg", "<iframe", "<body", "<input", "<table", "<object", "<embed", "<style",
                           "<meta", "<frameset", "<br", "<p", "<div", "<a", "javascript:", "alert(", "prompt(", "onerror=",
                           "onload=", "${jndi:"]
            },
            "remote-file-inclusion": {
              "min_hits": 1, "errors_only": true, "path_suffixes": [],
              "contains": ["=http://", "=https://", "=ftp://", "=php://", "=file://", "=data:"]
            },
            "path-traversal": {
              "min_hits": 1, "errors_only": false, "path_suffixes": [],
              "contains": ["../", "..\\", "/..;/", "%2e%2e", "..%2f", "%c0%ae"]
            }
          }
        }
        """#
}
