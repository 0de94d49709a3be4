#!/usr/bin/env bash
# Installs what the integration tests start as processes (DESIGN.md, "Tests use real servers"):
# etcd, OpenSSH's sshd, PostgreSQL, headless Chromium with chromedriver, and the independent
# clients that check Lifeboat's S3 objects (s3cmd) and age encryption (age).
# Idempotent. As root with apt-get it installs what is missing; anywhere else it lists what is
# missing and how to install it, and exits 1. It starts and stops no services.
set -euo pipefail

have() { command -v "$1" >/dev/null 2>&1 || [[ -x "/usr/bin/$1" || -x "/usr/sbin/$1" ]]; }
have_age() { have age && have age-keygen; }
have_postgres_server() { compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || have initdb; }

# Fills missing_packages / missing_binaries; each check is "<Debian package> <what> <test...>".
check_all() {
  missing_packages=()
  missing_binaries=()
  check etcd-server     "etcd"                             have etcd
  check etcd-client     "etcdctl"                          have etcdctl
  check openssh-server  "/usr/sbin/sshd"                   test -x /usr/sbin/sshd
  check postgresql      "initdb, postgres (/usr/lib/postgresql/*/bin)" have_postgres_server
  check chromium        "chromium"                         have chromium
  check chromium-driver "chromedriver"                     have chromedriver
  check s3cmd           "s3cmd"                            have s3cmd
  check age             "age, age-keygen"                  have_age
  check gzip            "zcat (EtcdDumpIT reads the dump with it)" have zcat
  check tar             "tar (the stand-in docker of DataContainersIT)" have tar
  check python3         "python3 (runs the stand-in juju)"  have python3
}
check() {
  local package=$1 what=$2
  shift 2
  if ! "$@"; then
    missing_packages+=("$package")
    missing_binaries+=("$what")
  fi
}

is_root=false can_install=false
if [[ $(id -u) -eq 0 ]]; then
  is_root=true
  have apt-get && can_install=true
fi

check_all
if (( ${#missing_packages[@]} > 0 )) && $can_install; then
  echo "install-test-deps: installing ${missing_packages[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing_packages[@]}"
  check_all
fi

# sshd refuses to start without its privilege separation directory; /run is emptied at boot.
if [[ ! -d /run/sshd ]] && $is_root; then
  mkdir -p -m 0755 /run/sshd
fi

problems=()
for i in "${!missing_packages[@]}"; do
  problems+=("missing ${missing_binaries[$i]} (Debian/Ubuntu package ${missing_packages[$i]})")
done
[[ -d /run/sshd ]] || problems+=("missing directory /run/sshd (sshd needs it): run 'sudo mkdir -p -m 0755 /run/sshd'")

if (( ${#problems[@]} > 0 )); then
  {
    echo "install-test-deps: the integration tests need real servers that are not installed here:"
    printf '  - %s\n' "${problems[@]}"
    if (( ${#missing_packages[@]} > 0 )); then
      if $can_install; then
        echo "apt-get ran, but these are still missing; check the apt output above."
      elif have apt-get; then
        echo "Install them as root: sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing_packages[*]}"
        echo "or run this script as root: sudo bash .ci/install-test-deps.sh"
      else
        echo "No apt-get here: install the equivalent packages of your system so that these binaries exist."
      fi
    fi
  } >&2
  exit 1
fi
echo "install-test-deps: etcd, etcdctl, sshd, PostgreSQL, chromium, chromedriver, s3cmd and age are present"
