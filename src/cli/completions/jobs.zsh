# Added by apsched: the JOB of pause, resume, run-now and history completes
# to the job ids of the schedule file named by -f FILE (else
# $APSCHED_CONFIG, else ./schedules.toml), as `apsched __complete-jobs`
# lists them.
(( $+functions[_apsched_job_ids] )) ||
_apsched_job_ids() {
    local -a args ids expl
    local i word
    for (( i = 1; i < CURRENT; i++ )); do
        word=${(Q)words[i]}
        case $word in
            (-f|--file) args=(-f "${(Q)words[i+1]}") ;;
            (--file=*) args=(-f "${word#--file=}") ;;
            (-f?*) args=(-f "${word#-f}") ;;
        esac
    done
    (( $#args )) && args[2]=${args[2]/#\~\//$HOME/}
    ids=(${(f)"$(apsched __complete-jobs "${args[@]}" 2>/dev/null)"})
    _wanted job-ids expl 'job id' compadd -a ids
}
