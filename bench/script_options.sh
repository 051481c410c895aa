# Sourced by bench scripts for their options and --help; set `script` (the name messages
# begin with) before sourcing.
#   script_usage                     the script's header comment (after the #! line)
#   option_value OPTION ARGS...      the option's value, or a clear error when it has none
#   require_count OPTION VALUE       a positive whole number, or a clear error
#   require_duration OPTION VALUE    a wrk duration such as 4s or 1m, or a clear error

script_usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; }

option_value() {
  [[ $# -ge 2 && -n "$2" ]] || { echo "$script: $1 needs a value (see --help)" >&2; exit 2; }
  echo "$2"
}

require_count() {
  [[ "$2" =~ ^[1-9][0-9]*$ ]] || { echo "$script: $1 wants a positive number" >&2; exit 2; }
}

require_duration() {
  [[ "$2" =~ ^[1-9][0-9]*[smh]?$ ]] ||
    { echo "$script: $1 wants a time such as 4s or 1m" >&2; exit 2; }
}
