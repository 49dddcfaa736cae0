
# Added by apsched: the JOB of pause, resume, run-now and history completes
# to the job ids of the schedule file named by -f FILE (else
# $APSCHED_CONFIG, else ./schedules.toml), as `apsched __complete-jobs`
# lists them; everything else is completed by _apsched above.

# _apsched_job_word: whether the word being completed is the JOB argument
# (the first word after the command that is neither an option nor an
# option's value); sets _apsched_file to the -f value seen, if any.
_apsched_job_word() {
    local i word command="" positional=0 value=""
    _apsched_file=""
    for ((i = 1; i < COMP_CWORD; i++)); do
        word="${COMP_WORDS[i]}"
        if [[ -n "$value" ]]; then
            # bash splits --file=x into --file, = and x.
            [[ "$word" == "=" ]] && continue
            [[ "$value" == file ]] && _apsched_file="$word"
            value=""
            continue
        fi
        case "$word" in
            -f | --file) value=file ;;
            --state | -n | --count | --output) value=other ;;
            -f?*) _apsched_file="${word#-f}" ;;
            -*) ;;
            *)
                if [[ -z "$command" ]]; then
                    command="$word"
                else
                    positional=$((positional + 1))
                fi
                ;;
        esac
    done
    _apsched_file="${_apsched_file/#\~\//$HOME/}"
    case "$command" in
        pause | resume | run-now | history)
            [[ -z "$value" && "$positional" -eq 0 && "${COMP_WORDS[COMP_CWORD]}" != -* ]]
            ;;
        *) return 1 ;;
    esac
}

_apsched_with_jobs() {
    local _apsched_file id cur="${COMP_WORDS[COMP_CWORD]}"
    if ! _apsched_job_word; then
        _apsched "$@"
        return
    fi
    local -a args=()
    [[ -n "$_apsched_file" ]] && args=(-f "$_apsched_file")
    COMPREPLY=()
    while IFS= read -r id; do
        [[ "$id" == "$cur"* ]] && COMPREPLY+=("$(printf '%q' "$id")")
    done < <("$1" __complete-jobs "${args[@]}" 2>/dev/null)
}

if [[ "${BASH_VERSINFO[0]}" -eq 4 && "${BASH_VERSINFO[1]}" -ge 4 || "${BASH_VERSINFO[0]}" -gt 4 ]]; then
    complete -F _apsched_with_jobs -o nosort -o bashdefault -o default apsched
else
    complete -F _apsched_with_jobs -o bashdefault -o default apsched
fi
