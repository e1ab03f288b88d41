#!/usr/bin/env bash
# Sourced by the compare scripts: ensure_python_module MODULE PACKAGE installs the Debian PACKAGE with
# apt when /usr/bin/python3 cannot import MODULE.
ensure_python_module() {
  if ! /usr/bin/python3 -c "import $1" 2>/dev/null; then
    echo "installing $2 ..." >&2
    if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq "$2"; \
    else sudo apt-get update -qq && sudo apt-get install -y -qq "$2"; fi
  fi
}
