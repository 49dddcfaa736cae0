
# Added by apsched: the JOB of pause, resume, run-now and history completes
# to the job ids of the schedule file named by -f FILE (else
# $APSCHED_CONFIG, else ./schedules.toml), as `apsched __complete-jobs`
# lists them.

# Whether the token being completed is the JOB argument: no argument yet
# after the command but options and their values.
function __apsched_wants_job
    set -l tokens (commandline -opc)
    set -l value 0
    set -l words 0
    for token in $tokens[2..-1]
        if test $value = 1
            set value 0
            continue
        end
        switch $token
            case -f --file --state -n --count --output
                set value 1
            case '-*'
            case '*'
                set words (math $words + 1)
        end
    end
    # The command itself is the first word.
    test $value = 0 -a $words = 1
end

# The job ids of the schedule file named on the command line.
function __apsched_job_ids
    set -l tokens (commandline -opc)
    set -l args
    set -l next 0
    for token in $tokens[2..-1]
        if test $next = 1
            set args -f $token
            set next 0
            continue
        end
        switch $token
            case -f --file
                set next 1
            case '--file=*'
                set args -f (string replace -- '--file=' '' $token)
            case '-f?*'
                set args -f (string sub -s 3 -- $token)
        end
    end
    if set -q args[2]
        set args[2] (string replace -r '^~/' "$HOME/" -- $args[2])
    end
    $tokens[1] __complete-jobs $args 2>/dev/null
end

complete -c apsched -n "__fish_apsched_using_subcommand pause resume run-now history; and __apsched_wants_job" -f -a "(__apsched_job_ids)" -d 'Job id'
