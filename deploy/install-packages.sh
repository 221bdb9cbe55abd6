#!/usr/bin/env bash
# Installs the Debian packages Pingjia needs, only those that are missing.
#   deploy/install-packages.sh          what the service needs to build and run
#   deploy/install-packages.sh --test   also what the test suite needs (headless Chromium,
#                                       CJK fonts, Python's selenium, pytest, jsonschema and
#                                       openapi-spec-validator; nginx, openssl and systemd's
#                                       systemd-analyze for Tests/deploy; promtool)
set -euo pipefail

packages=(libmicrohttpd-dev libsqlite3-dev libsodium-dev libqrencode-dev libpng-dev zlib1g-dev pkg-config tzdata)
if [ "${1:-}" = "--test" ]; then
  packages+=(chromium chromium-driver fonts-noto-cjk python3 python3-pip sqlite3 curl nginx openssl systemd)
  # promtool (shipped in Debian's prometheus package) checks deploy/prometheus-alerts.yml.
  packages+=(prometheus)
  # zbarimg decodes the QR codes Pingjia draws; pdftoppm turns the printed sheet into images.
  packages+=(zbar-tools poppler-utils)
fi

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing: ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ "${1:-}" = "--test" ]; then
  pip_install=(python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore)
  python3 -c "import selenium, pytest" 2>/dev/null ||
    "${pip_install[@]}" selenium pytest 2>/dev/null ||
    "${pip_install[@]}" --break-system-packages selenium pytest
  # The API contract tests of Tests/api: OpenAPI 3.1 validation, and JSON Schema 2020-12 with
  # a referencing registry (jsonschema 4.18 and later).
  api_packages=("openapi-spec-validator>=0.7" "jsonschema>=4.18")
  python3 -c "from openapi_spec_validator import OpenAPIV31SpecValidator; import jsonschema, referencing" 2>/dev/null ||
    "${pip_install[@]}" "${api_packages[@]}" 2>/dev/null ||
    "${pip_install[@]}" --break-system-packages "${api_packages[@]}"
  # axe-core 4.x for the accessibility checks of Tests/browser: the wheel is only a carrier
  # for its axe.min.js (its Playwright dependency is not wanted, hence --no-deps).
  axe_wheel="axe-playwright-python==0.1.8"
  python3 -c "import importlib.util as u, pathlib as p, sys; s = u.find_spec('axe_playwright_python'); sys.exit(0 if s and (p.Path(s.origin).parent / 'axe.min.js').is_file() else 1)" 2>/dev/null ||
    "${pip_install[@]}" --no-deps "$axe_wheel" 2>/dev/null ||
    "${pip_install[@]}" --no-deps --break-system-packages "$axe_wheel"
fi
