/* stamp FILE: appends the wall clock (CLOCK_REALTIME) at which this program
 * started, as "SECONDS.NANOSECONDS\n", to FILE (O_APPEND: one write per run,
 * so concurrent runs do not mix their lines). Every system in the comparison
 * runs this same command, so "started" means the same thing for all. */
#include <fcntl.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    if (argc < 2)
        return 2;
    char line[64];
    int n = snprintf(line, sizeof line, "%lld.%09ld\n", (long long)ts.tv_sec, ts.tv_nsec);
    int fd = open(argv[1], O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0)
        return 1;
    ssize_t written = write(fd, line, (size_t)n);
    close(fd);
    return written == n ? 0 : 1;
}
