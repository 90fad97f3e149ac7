// Plays Twilio's side of a webhook for the tests: each request of a plan is signed with Twilio's
// own helper library (the npm package `twilio`, getExpectedTwilioSignature) over the URL Twilio
// would call (publicUrl + path) and POSTed form-encoded to the gateway on 127.0.0.1:port.
//
//   node twilio_peer.js PLAN.json
//
// PLAN: {"port": 8080, "authToken": "...", "publicUrl": "https://sms.example.org",
//        "requests": [{"path": "/channels/twilio/receive?x=1", "params": {"From": "+976..."},
//                      "signUrl": "(optional: sign over this URL instead)",
//                      "tamper": {"Body": "(optional: sent instead of what was signed)"},
//                      "unsigned": false}]}
// Prints a JSON array, one {"status", "contentType", "body", "signature"} per request, in order.
// Exits 1 with a message when the plan cannot be read or a request cannot be made.
"use strict";

const fs = require("fs");
const http = require("http");
const twilio = require("twilio");

function post(port, path, body, headers) {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: "127.0.0.1", port, path, method: "POST", headers },
      (res) => {
        let data = "";
        res.setEncoding("utf8");
        res.on("data", (chunk) => (data += chunk));
        res.on("end", () =>
          resolve({ status: res.statusCode, contentType: res.headers["content-type"] || "", body: data })
        );
      }
    );
    req.setTimeout(10000, () => req.destroy(new Error("timeout")));
    req.on("error", reject);
    req.end(body);
  });
}

async function main() {
  const plan = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
  const results = [];
  for (const r of plan.requests) {
    const url = r.signUrl || plan.publicUrl + r.path;
    const signature = twilio.getExpectedTwilioSignature(plan.authToken, url, r.params);
    // Twilio form-encodes its parameters (spaces as '+'), as URLSearchParams does.
    const sent = Object.assign({}, r.params, r.tamper || {});
    const body = new URLSearchParams(sent).toString();
    const headers = {
      "Content-Type": "application/x-www-form-urlencoded; charset=UTF-8",
      "Content-Length": Buffer.byteLength(body),
      "User-Agent": "TwilioProxy/1.1",
    };
    if (!r.unsigned) headers["X-Twilio-Signature"] = signature;
    const answer = await post(plan.port, r.path, body, headers);
    answer.signature = signature;
    results.push(answer);
  }
  process.stdout.write(JSON.stringify(results));
}

main().catch((e) => {
  process.stderr.write("twilio_peer: " + (e && e.stack ? e.stack : e) + "\n");
  process.exit(1);
});
