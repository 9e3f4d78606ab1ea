#!/bin/sh
# SPDX-License-Identifier: MIT
# SPDX-FileCopyrightText: 2026 The Keepwatch developers
#
# Makes the certificates of a Keepwatch fleet with openssl: a CA (once), the
# broker's certificate, and one client certificate per host or desktop user,
# whose CN is its identity at the broker (Mosquitto's use_identity_as_username:
# the ACL's %u is then the certificate's, not a name the client claims).
#
#   keepwatch-fleet-certs.sh DIR BROKER-NAME [CLIENT...]
#
# BROKER-NAME is the name the agents connect to: a DNS name or an IP address
# (it goes into the certificate's subjectAltName, which clients verify).
# Each CLIENT is a host name as `keepwatch-cli agent --host` takes it
# ([a-z0-9][a-z0-9.-]{0,62}), or a desktop user such as desk-admin.
# Run again with more clients to add them; the CA is kept.
#
# Gives DIR/ca.pem (for every client and the broker), DIR/broker.pem and
# DIR/broker.key (for the broker), DIR/NAME.pem and DIR/NAME.key per client.
# Keep DIR/ca.key off the broker and the hosts.
set -eu

if [ $# -lt 2 ]; then
    echo "usage: $0 DIR BROKER-NAME [CLIENT...]" >&2
    exit 2
fi
dir=$1
broker=$2
shift 2

for client in "$@"; do
    if ! printf '%s' "$client" | grep -Eqx '[a-z0-9][a-z0-9.-]{0,62}'; then
        echo "$0: '$client' is not a host name Keepwatch takes ([a-z0-9][a-z0-9.-]{0,62})" >&2
        exit 2
    fi
done

umask 077
mkdir -p "$dir"
cd "$dir"

newkey() {
    openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1"
}

# sign NAME CN SUBJECT-ALT-NAME USAGE: NAME.key and NAME.pem, signed by the CA.
sign() {
    newkey "$1.key"
    openssl req -new -key "$1.key" -subj "/CN=$2" -out "$1.csr"
    printf 'subjectAltName=%s\nextendedKeyUsage=%s\nbasicConstraints=CA:FALSE\n' "$3" "$4" \
        >"$1.ext"
    openssl x509 -req -in "$1.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -days 825 \
        -extfile "$1.ext" -out "$1.pem" 2>/dev/null
    rm -f "$1.csr" "$1.ext"
}

if [ ! -f ca.pem ]; then
    newkey ca.key
    openssl req -x509 -new -key ca.key -subj "/CN=Keepwatch fleet CA" -days 3650 -out ca.pem
    chmod 644 ca.pem
fi

case $broker in
*[!0-9.:]*) brokerName="DNS:$broker" ;;
*) brokerName="IP:$broker" ;;
esac
sign broker "$broker" "$brokerName" serverAuth

for client in "$@"; do
    sign "$client" "$client" "DNS:$client" clientAuth
done
