#!/usr/bin/env bash
# System packages and services the delivery tests need: a CUPS spooler with the cups-pdf virtual
# printer (queue "PDF"), and Chromium to show an email's HTML body as a mail client would.
# Idempotent: safe to run again; installs only what is missing. Needs root.
set -euo pipefail

QUEUE="${REPORT_TEST_PRINTER:-PDF}"
PACKAGES=(cups cups-client printer-driver-cups-pdf chromium)

missing=()
for pkg in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})) && ((EUID != 0)); then
    echo "system-deps: missing ${missing[*]}; run this script as root (CI does)" >&2
    exit 1
fi
if ((${#missing[@]})); then
    export DEBIAN_FRONTEND=noninteractive
    # An empty or old package list finds nothing: update once, only when something must be installed.
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# cupsd: started by hand because CI machines have no init system running services.
if ! lpstat -r 2>/dev/null | grep -q "is running"; then
    mkdir -p /run/cups
    /usr/sbin/cupsd
    for _ in $(seq 1 50); do
        lpstat -r 2>/dev/null | grep -q "is running" && break
        sleep 0.1
    done
fi
lpstat -r | grep -q "is running" || { echo "system-deps: cupsd did not start" >&2; exit 1; }

if ! lpstat -p "$QUEUE" >/dev/null 2>&1; then
    ppd=$(lpinfo -m 2>/dev/null | awk '/CUPS-PDF/ {print $1; exit}')
    lpadmin -p "$QUEUE" -v cups-pdf:/ -E ${ppd:+-m "$ppd"}
fi
cupsenable "$QUEUE" >/dev/null 2>&1 || true
cupsaccept "$QUEUE" >/dev/null 2>&1 || true
echo "system-deps: cupsd running, queue '$QUEUE' ready ($(lpstat -v "$QUEUE"))"
