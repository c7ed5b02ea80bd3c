#!/usr/bin/env bash
# Deployment files against the real program: every command, flag and
# ENRICHER_* variable in docker-compose.yml and deploy/kubernetes/ is fed to
# `enricher config` (which parses options exactly as `enricher run` does and
# rejects unknown flags and variables); ports, probes, selectors, Secret and
# ConfigMap references, KEDA's target, group and topic agree across files;
# the dashboard and alerts use only metrics the program exports; the
# runtime image installs the packages of every library the binary links.
# Where the tools are installed it also runs promtool (config, rules, rule
# unit tests) and kubernetes-validate --strict on the core manifests.
# Needs Python 3 with PyYAML (Debian: python3-yaml); skips without.
set -euo pipefail
: "${ENRICHER:?path of the enricher binary}" "${ENR_SOURCE_DIR:?}"
src=$ENR_SOURCE_DIR

py=
for cand in python3 /usr/bin/python3; do
        if command -v "$cand" >/dev/null && "$cand" -c 'import yaml' 2>/dev/null; then
                py=$cand
                break
        fi
done
[ -n "$py" ] || { echo "SKIP: no python3 with PyYAML (apt-get install python3-yaml)"; exit 77; }

"$py" - "$ENRICHER" "$src" <<'PY'
import json, os, re, shlex, subprocess, sys
import yaml

enricher, src = sys.argv[1], sys.argv[2]
failures = []
def fail(msg):
    failures.append(msg)
def load_yaml_docs(path):
    with open(path, encoding="utf-8") as f:
        return [d for d in yaml.safe_load_all(f) if d is not None]

# --- The program's options, from its own help. ---------------------------
help_text = subprocess.run([enricher, "run", "--help"], capture_output=True, text=True).stdout
options = set(re.findall(r"^\s+(?:-\w, )?--([a-z][a-z0-9-]*)", help_text, re.M))
if "metrics-addr" not in options or "instance-id" not in options:
    fail("cannot read the options from `enricher run --help`: %r" % sorted(options))

def check_config(where, args, env):
    """Runs `enricher config ARGS` with only ENV; returns the effective
    configuration as a dict, or None after recording the failure."""
    if not args or args[0] != "run":
        fail("%s: the command is %r, not `run ...`" % (where, args))
        return None
    for a in args[1:]:
        m = re.match(r"--([a-z0-9-]+)", a)
        if m and m.group(1) not in options:
            fail("%s: --%s is not an option of enricher run" % (where, m.group(1)))
    for k in env:
        if not k.startswith("ENRICHER_"):
            continue
        if k.startswith("ENRICHER_X_"):
            continue
        opt = k[len("ENRICHER_"):].lower().replace("_", "-")
        if opt not in options:
            fail("%s: %s names no option of enricher run" % (where, k))
    full_env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin")}
    full_env.update(env)
    p = subprocess.run([enricher, "config"] + args[1:], env=full_env,
                       capture_output=True, text=True)
    if p.returncode != 0:
        fail("%s: enricher config %s refused: %s" % (where, " ".join(args[1:]), p.stderr.strip()))
        return None
    cfg = {}
    for line in p.stdout.splitlines():
        k, _, v = line.partition(" = ")
        cfg[k.strip()] = v.strip()
    return cfg

def port_of(addr):
    return int(addr.rsplit(":", 1)[1])

# --- docker-compose.yml ---------------------------------------------------
compose = yaml.safe_load(open(os.path.join(src, "docker-compose.yml"), encoding="utf-8"))
services = compose.get("services", {})
workers = {n: s for n, s in services.items() if n.startswith("enricher")}
if len(workers) != 3:
    fail("docker-compose.yml: %d enricher workers, want 3" % len(workers))
groups, instances, targets = set(), set(), set()
for name, svc in sorted(workers.items()):
    where = "docker-compose.yml " + name
    cmd = svc.get("command")
    cmd = shlex.split(cmd) if isinstance(cmd, str) else list(cmd or [])
    env = {k: str(v) for k, v in (svc.get("environment") or {}).items()}
    cfg = check_config(where, cmd, env)
    if not cfg:
        continue
    groups.add(cfg["group"])
    instances.add(cfg["instance-id"])
    if not cfg["metrics-addr"]:
        fail(where + ": no --metrics-addr")
    else:
        targets.add("%s:%d" % (svc.get("hostname", name), port_of(cfg["metrics-addr"])))
    if cfg["brokers"].split(":")[0] not in services:
        fail(where + ": brokers %r is not a compose service" % cfg["brokers"])
    grace = svc.get("stop_grace_period", "10s")
    if int(str(grace).rstrip("s")) * 1000 <= int(cfg["shutdown-timeout-ms"]):
        fail(where + ": stop_grace_period %s is not above shutdown-timeout-ms" % grace)
    build = svc.get("build", {})
    if build.get("dockerfile") != "deploy/Dockerfile":
        fail(where + ": not built from deploy/Dockerfile")
    dep = (svc.get("depends_on") or {}).get("kafka-init", {})
    if dep.get("condition") != "service_completed_successfully":
        fail(where + ": does not wait for kafka-init")
if len(groups) != 1:
    fail("docker-compose.yml: workers in groups %r, want one" % groups)
if len(instances) != len(workers) or "" in instances:
    fail("docker-compose.yml: instance ids %r are not distinct" % instances)
kafka = services.get("kafka", {})
if not str(kafka.get("image", "")).startswith("apache/kafka:"):
    fail("docker-compose.yml: kafka is not the apache/kafka image")
kenv = kafka.get("environment", {})
if "controller" not in str(kenv.get("KAFKA_PROCESS_ROLES", "")):
    fail("docker-compose.yml: kafka is not in KRaft mode")
init = services.get("kafka-init", {})
init_cmd = "\n".join(init.get("command") or [])
for topic in ("articles", "articles.enriched", "articles.dlq"):
    if topic not in init_cmd:
        fail("docker-compose.yml: kafka-init does not create %s" % topic)
for vol in init.get("volumes", []):
    host = vol.split(":")[0]
    if not os.path.isdir(os.path.join(src, host)):
        fail("docker-compose.yml: kafka-init mounts missing %s" % host)
for svc_name, svc in services.items():
    for vol in svc.get("volumes", []) or []:
        host = vol.split(":")[0]
        if host.startswith("./") and not os.path.exists(os.path.join(src, host)):
            fail("docker-compose.yml %s: mounts missing %s" % (svc_name, host))

# --- Prometheus -----------------------------------------------------------
prom = yaml.safe_load(open(os.path.join(src, "deploy/prometheus/prometheus.yml"), encoding="utf-8"))
scraped = set()
for job in prom.get("scrape_configs", []):
    if job.get("job_name") == "enricher":
        for sc in job.get("static_configs", []):
            scraped.update(sc.get("targets", []))
if scraped != targets:
    fail("prometheus.yml scrapes %r, the workers serve %r" % (sorted(scraped), sorted(targets)))

# --- Kubernetes -----------------------------------------------------------
kdir = os.path.join(src, "deploy/kubernetes")
kust = yaml.safe_load(open(os.path.join(kdir, "kustomization.yaml"), encoding="utf-8"))
files = sorted(f for f in os.listdir(kdir) if f.endswith(".yaml") and f != "kustomization.yaml")
if sorted(kust.get("resources", [])) != files:
    fail("kustomization.yaml lists %r, the directory has %r" % (kust.get("resources"), files))
objs = {}
for f in files:
    for d in load_yaml_docs(os.path.join(kdir, f)):
        for key in ("apiVersion", "kind", "metadata"):
            if key not in d:
                fail("%s: a document without %s" % (f, key))
        objs[(d["kind"], d["metadata"]["name"])] = d
sts = objs.get(("StatefulSet", "enricher"))
cm = objs.get(("ConfigMap", "enricher"), {}).get("data", {})
secret = objs.get(("Secret", "enricher-kafka"), {})
secret_keys = set(secret.get("stringData", {})) | set(secret.get("data", {}))
if not sts:
    fail("no StatefulSet enricher")
else:
    spec = sts["spec"]
    tmpl = spec["template"]
    pod_labels = tmpl["metadata"]["labels"]
    def selects(sel, where):
        if not sel or any(pod_labels.get(k) != v for k, v in sel.items()):
            fail("%s: selector %r does not select the pods %r" % (where, sel, pod_labels))
    selects(spec["selector"]["matchLabels"], "StatefulSet")
    svc = objs.get(("Service", spec["serviceName"]))
    if not svc:
        fail("StatefulSet serviceName %s has no Service" % spec["serviceName"])
    else:
        selects(svc["spec"]["selector"], "Service")
    pdb = [o for (k, _), o in objs.items() if k == "PodDisruptionBudget"]
    if not pdb:
        fail("no PodDisruptionBudget")
    for o in pdb:
        selects(o["spec"]["selector"]["matchLabels"], "PodDisruptionBudget")
    (c,) = tmpl["spec"]["containers"]
    env = {}
    for ref in c.get("envFrom", []):
        name = ref.get("configMapRef", {}).get("name")
        if ("ConfigMap", name) not in objs:
            fail("envFrom names missing ConfigMap %s" % name)
        env.update({k: str(v) for k, v in objs.get(("ConfigMap", name), {}).get("data", {}).items()})
    pod_name = "enricher-0"
    for e in c.get("env", []):
        vf = e.get("valueFrom", {})
        if "value" in e:
            env[e["name"]] = str(e["value"])
        elif vf.get("fieldRef", {}).get("fieldPath") == "metadata.name":
            env[e["name"]] = pod_name
        elif "secretKeyRef" in vf:
            ref = vf["secretKeyRef"]
            if ref["name"] != "enricher-kafka" or ref["key"] not in secret_keys:
                fail("env %s: Secret %s has no key %s" % (e["name"], ref["name"], ref["key"]))
            env[e["name"]] = "placeholder"
        else:
            fail("env %s: unsupported source %r" % (e["name"], vf))
    # Kubernetes expands $(VAR) in args from the container's variables.
    args = [re.sub(r"\$\(([A-Za-z_][A-Za-z0-9_]*)\)", lambda m: env.get(m.group(1), m.group(0)), a)
            for a in c.get("args", [])]
    cfg = check_config("StatefulSet enricher", args, env)
    if cfg:
        if cfg["instance-id"] != pod_name:
            fail("StatefulSet: instance-id is %r, not the pod name" % cfg["instance-id"])
        if not cfg["metrics-addr"]:
            fail("StatefulSet: no metrics-addr")
        else:
            mport = port_of(cfg["metrics-addr"])
            ports = {p["name"]: p["containerPort"] for p in c.get("ports", [])}
            if ports.get("metrics") != mport:
                fail("StatefulSet: containerPort metrics %r, metrics-addr port %d" % (ports.get("metrics"), mport))
            ann = tmpl["metadata"].get("annotations", {})
            if ann.get("prometheus.io/port") != str(mport):
                fail("StatefulSet: prometheus.io/port %r, want %d" % (ann.get("prometheus.io/port"), mport))
            for probe, path in (("livenessProbe", "/healthz"), ("readinessProbe", "/readyz"),
                                ("startupProbe", "/healthz")):
                get = c.get(probe, {}).get("httpGet", {})
                if get.get("path") != path or get.get("port") not in ("metrics", mport):
                    fail("StatefulSet: %s is %r, want GET %s on the metrics port" % (probe, get, path))
        grace = tmpl["spec"].get("terminationGracePeriodSeconds", 30)
        if grace * 1000 <= int(cfg["shutdown-timeout-ms"]):
            fail("StatefulSet: terminationGracePeriodSeconds %d is not above shutdown-timeout-ms" % grace)
        if "ENRICHER_X_SASL_PASSWORD" not in {e["name"] for e in c.get("env", [])
                                              if "secretKeyRef" in e.get("valueFrom", {})}:
            fail("StatefulSet: ENRICHER_X_SASL_PASSWORD does not come from the Secret")
        for k, v in cm.items():
            if re.search(r"PASSWORD|SECRET|KEY$", k):
                fail("ConfigMap holds a secret-looking %s" % k)
        res = c.get("resources", {})
        if not res.get("requests", {}).get("memory") or not res.get("limits", {}).get("memory"):
            fail("StatefulSet: no memory request and limit")
        sc = tmpl["spec"].get("securityContext", {})
        if not sc.get("runAsNonRoot"):
            fail("StatefulSet: not runAsNonRoot")
        # KEDA: the right target, group, topic and brokers.
        so = objs.get(("ScaledObject", "enricher"))
        if not so:
            fail("no ScaledObject")
        else:
            tgt = so["spec"]["scaleTargetRef"]
            if (tgt.get("kind"), tgt.get("name")) != ("StatefulSet", sts["metadata"]["name"]):
                fail("ScaledObject targets %r" % tgt)
            if not 1 <= so["spec"].get("minReplicaCount", 0) <= so["spec"].get("maxReplicaCount", 0):
                fail("ScaledObject replica bounds are wrong")
            (trig,) = so["spec"]["triggers"]
            md = trig["metadata"]
            if trig["type"] != "kafka":
                fail("ScaledObject trigger type %s" % trig["type"])
            for key, want in (("consumerGroup", cfg["group"]), ("topic", cfg["input"]),
                              ("bootstrapServers", cfg["brokers"])):
                if md.get(key) != want:
                    fail("ScaledObject %s %r, the workers use %r" % (key, md.get(key), want))
            for key in ("lagThreshold", "activationLagThreshold"):
                if not str(md.get(key, "")).isdigit():
                    fail("ScaledObject %s must be a number in a string" % key)
            auth = objs.get(("TriggerAuthentication", trig.get("authenticationRef", {}).get("name")))
            if not auth:
                fail("ScaledObject authenticationRef names no TriggerAuthentication")
            else:
                for ref in auth["spec"]["secretTargetRef"]:
                    if ref["parameter"] not in ("sasl", "username", "password", "tls", "ca", "cert", "key"):
                        fail("TriggerAuthentication: unknown parameter %s" % ref["parameter"])
                    if ref["name"] != "enricher-kafka" or ref["key"] not in secret_keys:
                        fail("TriggerAuthentication: Secret has no key %s" % ref["key"])

# --- Dashboard and alerts use only exported metrics. ----------------------
with open(os.path.join(src, "common/metrics.c"), encoding="utf-8") as f:
    code = f.read()
exported = set(re.findall(r'"(enricher_[a-z_]+)"', code)) | {"enricher_build_info", "up"}
hist = {n for n in exported if n.endswith("_seconds")}
exported |= {h + s for h in hist for s in ("_bucket", "_sum", "_count")}
def metrics_in(expr):
    return set(re.findall(r"\b(enricher_[a-z_]+|up)\b", expr))
dash = json.load(open(os.path.join(src, "deploy/grafana/enricher.json"), encoding="utf-8"))
exprs = [t["expr"] for p in dash["panels"] for t in p.get("targets", [])]
if len(exprs) < 8:
    fail("the dashboard has only %d queries" % len(exprs))
kinds = " ".join(p["title"].lower() for p in dash["panels"])
for word in ("messages per second", "lag", "dead letters", "failures", "p99"):
    if word not in kinds:
        fail("the dashboard has no %r panel" % word)
alerts = yaml.safe_load(open(os.path.join(src, "deploy/prometheus/alerts.yml"), encoding="utf-8"))
exprs += [r["expr"] for g in alerts["groups"] for r in g["rules"]]
for e in exprs:
    unknown = metrics_in(e) - exported
    if unknown:
        fail("query uses metrics the program does not export: %s in %s" % (sorted(unknown), e))

# --- Dockerfile -----------------------------------------------------------
docker = open(os.path.join(src, "deploy/Dockerfile"), encoding="utf-8").read()
froms = re.findall(r"^FROM\s+(\S+)", docker, re.M)
if len(froms) < 2 or not froms[0].startswith("debian:") or "-slim" not in froms[-1]:
    fail("Dockerfile stages %r: want a debian build stage and a debian slim runtime" % froms)
user = re.findall(r"^USER\s+(\S+)", docker, re.M)
if not user or user[-1].split(":")[0] in ("root", "0"):
    fail("Dockerfile: the runtime user is root")
hc = re.search(r"^HEALTHCHECK .*", docker, re.M | re.S)
metrics_env = re.search(r"ENRICHER_METRICS_ADDR=(\S+)", docker)
# The check's port: the metrics port written out, or taken from
# ENRICHER_METRICS_ADDR with that port as its default.
hc_port = "%d" % port_of(metrics_env.group(1)) if metrics_env else "?"
if not hc or "/healthz" not in hc.group(0) or not metrics_env or \
        ("/" + hc_port not in hc.group(0) and
         not ("${ENRICHER_METRICS_ADDR:-:" + hc_port + "}" in hc.group(0) and
              "/${a##*:}" in hc.group(0))):
    fail("Dockerfile: HEALTHCHECK does not hit /healthz on the metrics port")
runtime = docker[docker.rfind("FROM "):]
m = re.search(r"apt-get install[^&]*?--no-install-recommends((?:\s+\\?\s*[a-z0-9.+-]+)+)", runtime)
runtime_pkgs = set(m.group(1).replace("\\", " ").split()) if m else set()
# Every library the binary needs directly must come from a runtime package.
try:
    dyn = subprocess.run(["readelf", "-d", enricher], capture_output=True, text=True).stdout
except FileNotFoundError:
    dyn = ""
ldcache = subprocess.run(["sh", "-c", "ldconfig -p 2>/dev/null || /sbin/ldconfig -p"],
                         capture_output=True, text=True).stdout
def package_of(soname):
    m = re.search(r"^\s*%s \(.*x86-64.*\) => (\S+)$" % re.escape(soname), ldcache, re.M) or \
        re.search(r"^\s*%s \(.*\) => (\S+)$" % re.escape(soname), ldcache, re.M)
    if not m:
        return ""
    path = m.group(1)
    cands = [path, os.path.realpath(path)]
    cands += ["/usr" + c for c in cands if not c.startswith("/usr/")]
    for c in cands:
        q = subprocess.run(["dpkg", "-S", c], capture_output=True, text=True)
        if q.returncode == 0 and q.stdout:
            return q.stdout.split(":")[0]
    return ""
checked = 0
for soname in re.findall(r"\(NEEDED\).*\[(.+?)\]", dyn):
    if re.match(r"lib(asan|ubsan|tsan|lsan)\.", soname):
        continue  # Sanitizer builds only.
    pkg = package_of(soname)
    if not pkg:
        print("note: no package found for %s" % soname)
        continue
    checked += 1
    if pkg not in runtime_pkgs and pkg not in ("libc6", "libgcc-s1"):
        fail("the binary needs %s from %s, which the runtime image does not install" % (soname, pkg))
if dyn and not checked:
    print("note: dpkg knows none of the binary's libraries; runtime packages not checked")

for f in failures:
    print("FAIL:", f)
if failures:
    sys.exit(1)
print("ok: compose (%d workers), Kubernetes (%d objects), dashboard and alerts (%d queries), "
      "Dockerfile (%d linked libraries from runtime packages)" % (len(workers), len(objs), len(exprs), checked))
PY

# Prometheus' own checks, where promtool is installed (Debian: prometheus).
if command -v promtool >/dev/null; then
        promtool check config "$src/deploy/prometheus/prometheus.yml" >/dev/null
        promtool check rules "$src/deploy/prometheus/alerts.yml" >/dev/null
        (cd "$src/deploy/prometheus" && promtool test rules alerts_test.yml >/dev/null)
        echo "ok: promtool check config, check rules, test rules"
else
        echo "note: promtool absent, Prometheus files only parsed"
fi
# Kubernetes' OpenAPI schemas, where kubernetes-validate is installed (PyPI).
if command -v kubernetes-validate >/dev/null; then
        core=()
        for f in "$src"/deploy/kubernetes/*.yaml; do
                case $(basename "$f") in kustomization.yaml|keda-*) ;; *) core+=("$f");; esac
        done
        out=$(kubernetes-validate --strict --quiet -k 1.30.0 "${core[@]}" 2>&1) || {
                echo "FAIL: kubernetes-validate"; echo "$out"; exit 1; }
        echo "ok: kubernetes-validate --strict (Kubernetes 1.30) on ${#core[@]} manifests"
else
        echo "note: kubernetes-validate absent, manifests checked structurally only"
fi
