/* The spawn floor: what a loop in C that does nothing but fork and exec
 * costs, with no scheduling, parsing or state at all.
 *
 *   floor burst N EPOCH STAMP FILE   sleeps until EPOCH (whole seconds, wall
 *                                    clock), forks and execs `STAMP FILE` N
 *                                    times, then reaps them all
 *   floor every SECONDS STAMP FILE   at each of the next SECONDS whole
 *                                    seconds, forks and execs `STAMP FILE`
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void sleep_until(time_t second) {
    struct timespec at = {.tv_sec = second, .tv_nsec = 0};
    while (clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &at, NULL) == EINTR) {
    }
}

static void spawn(char *stamp, char *file) {
    pid_t pid = fork();
    if (pid == 0) {
        char *argv[] = {stamp, file, NULL};
        execv(stamp, argv);
        _exit(127);
    }
    if (pid < 0)
        perror("fork");
}

int main(int argc, char **argv) {
    if (argc == 6 && argv[1][0] == 'b') {
        long n = strtol(argv[2], NULL, 10);
        sleep_until((time_t)strtoll(argv[3], NULL, 10));
        for (long i = 0; i < n; i++)
            spawn(argv[4], argv[5]);
        while (wait(NULL) > 0) {
        }
        return 0;
    }
    if (argc == 5 && argv[1][0] == 'e') {
        long seconds = strtol(argv[2], NULL, 10);
        struct timespec now;
        clock_gettime(CLOCK_REALTIME, &now);
        for (long i = 1; i <= seconds; i++) {
            sleep_until(now.tv_sec + i);
            spawn(argv[3], argv[4]);
            while (waitpid(-1, NULL, WNOHANG) > 0) {
            }
        }
        while (wait(NULL) > 0) {
        }
        return 0;
    }
    fprintf(stderr, "usage: floor burst N EPOCH STAMP FILE | floor every SECONDS STAMP FILE\n");
    return 2;
}
