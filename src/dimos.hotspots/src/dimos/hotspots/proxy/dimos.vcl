vcl 4.1;
# Varnish in front of Dimos's Zope: keeps what Zope marks as fit for a shared cache
# (the captive portal's answers) and passes everything else straight through.
# Rendered by dimos.hotspots.proxy (`bin/dimos-varnish`); edit the template there.
#
# Zope marks an answer with X-Dimos-Microcache: <seconds> (how long it stays true:
# never past the next moment an alert takes effect or expires) and
# X-Dimos-Microcache-Stale: <seconds> (how long past that it may still be handed out
# while one request fetches a new one). After every commit that changes what the
# portal shows, Zope sends BAN, which drops all such answers at once.

import std;

backend zope {
    .host = "@backend_host@";
    .port = "@backend_port@";
    .connect_timeout = 2s;
    .first_byte_timeout = 120s;
    .between_bytes_timeout = 60s;
}

# Who may send BAN: Zope, on this machine.
acl banners {
    "127.0.0.1";
    "::1";
@extra_banners@}

sub vcl_recv {
    if (req.method == "BAN") {
        if (client.ip !~ banners) {
            return (synth(405, "BAN not allowed from " + client.ip));
        }
        ban("obj.http.X-Dimos-Kept == 1");
        return (synth(200, "Banned"));
    }
    unset req.http.X-Dimos-Proxy;
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # A signed-in user's pages are personal.
    if (req.http.Authorization || req.http.Cookie ~ "(^|;)\s*(__ac|auth_token)=") {
        return (pass);
    }
    # The language the portal would be written in, as the micro-cache in Zope
    # keys it: the I18N_LANGUAGE cookie, else the first Accept-Language.
    set req.http.X-Dimos-Lang = "";
    if (req.http.Cookie ~ "(^|;)\s*I18N_LANGUAGE=\x22?(el|en)") {
        set req.http.X-Dimos-Lang = regsub(req.http.Cookie, "^(.*;)?\s*I18N_LANGUAGE=\x22?(el|en).*$", "\2");
    } elsif (req.http.Accept-Language ~ "^\s*(?i)(el|en)") {
        set req.http.X-Dimos-Lang = std.tolower(regsub(req.http.Accept-Language, "^\s*([A-Za-z]{2}).*$", "\1"));
    }
    return (hash);
}

sub vcl_hash {
    hash_data(req.url);
    if (req.http.host) {
        hash_data(req.http.host);
    } else {
        hash_data(server.ip);
    }
    hash_data(req.http.Accept);
    hash_data(req.http.X-Dimos-Lang);
    return (lookup);
}

sub vcl_backend_fetch {
    # Zope's micro-cache then says how much of its seconds are left.
    set bereq.http.X-Dimos-Proxy = "varnish";
    unset bereq.http.X-Dimos-Lang;
    # Always the whole answer with Zope's marks: renewing a stale copy by its ETag
    # would get a 304 without them, and the page would be passed to Zope for a while.
    unset bereq.http.If-None-Match;
    unset bereq.http.If-Modified-Since;
}

sub vcl_backend_response {
    if (beresp.http.X-Dimos-Microcache && beresp.status == 200 && !beresp.http.Set-Cookie) {
        set beresp.ttl = std.duration(beresp.http.X-Dimos-Microcache + "s", 0s);
        set beresp.grace = std.duration(beresp.http.X-Dimos-Microcache-Stale + "s", 0s);
        set beresp.keep = 0s;
        unset beresp.http.X-Dimos-Microcache;
        unset beresp.http.X-Dimos-Microcache-Stale;
        if (beresp.ttl <= 0s) {
            set beresp.ttl = 0s;
            set beresp.grace = 0s;
            set beresp.uncacheable = true;
            return (deliver);
        }
        # The hash holds the language already; Vary goes back on at delivery.
        unset beresp.http.Vary;
        set beresp.http.X-Dimos-Kept = "1";
        return (deliver);
    }
    unset beresp.http.X-Dimos-Microcache;
    unset beresp.http.X-Dimos-Microcache-Stale;
    # Not ours to keep: later requests go straight to Zope for a while (hit-for-miss),
    # until an answer comes back that may be kept.
    set beresp.ttl = 10s;
    set beresp.grace = 0s;
    set beresp.uncacheable = true;
    return (deliver);
}

sub vcl_deliver {
    if (obj.uncacheable) {
        set resp.http.X-Dimos-Cache = "pass";
    } elsif (obj.hits > 0) {
        set resp.http.X-Dimos-Cache = "hit";
    } else {
        set resp.http.X-Dimos-Cache = "miss";
    }
    if (resp.http.X-Dimos-Kept) {
        unset resp.http.X-Dimos-Kept;
        set resp.http.Vary = "Accept-Language";
    }
}
