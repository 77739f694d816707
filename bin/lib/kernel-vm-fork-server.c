/*
 * Fork server for the kernel VM's ipvsadm (bin/lib/kernel-vm-image builds it into the initramfs as
 * /lib/uvs-fork-server.so). Under qemu without KVM, most of an ipvsadm run is the dynamic loader (an exec
 * costs 45-65 ms, a fork of a loaded ipvsadm about 11 ms), and the ipvsadm differential of the kernel tier runs
 * thousands of them. Preloaded into ipvsadm started as
 *     LD_PRELOAD=/lib/uvs-fork-server.so ipvsadm --fork-server x x ... (62 placeholders: 64 words in all)
 * this constructor runs after the loader and before ipvsadm's main: it reads requests from stdin, one a
 * line, "STDOUT-FILE<TAB>STDERR-FILE<TAB>ARG<TAB>ARG...", forks, and the child returns into ipvsadm's own
 * start-up with those arguments (written over the placeholders: argc and argv are read from the initial
 * stack after the constructors ran), stdout and stderr in those files and stdin on /dev/null. The parent
 * waits and prints the child's exit status as one line. Every run is a fresh ipvsadm main, as from exec.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define WORDS 64

static char request[16384];

static void redirect(const char *file, int fd, int flags) {
    int f = open(file, flags, 0644);
    if (f < 0) {
        _exit(127);
    }
    dup2(f, fd);
    close(f);
}

__attribute__((constructor)) static void serve(int argc, char **argv, char **envp) {
    (void) envp;
    if (argc != WORDS || strcmp(argv[1], "--fork-server") != 0) {
        return;
    }
    while (fgets(request, sizeof request, stdin)) {
        request[strcspn(request, "\n")] = 0;
        char *words[WORDS + 1];
        int n = 0;
        for (char *w = strtok(request, "\t"); w && n <= WORDS; w = strtok(NULL, "\t")) {
            words[n++] = w;
        }
        if (n < 2 || n > WORDS) {
            printf("bad request\n");
            fflush(stdout);
            continue;
        }
        pid_t pid = fork();
        if (pid == 0) {
            redirect(words[0], 1, O_WRONLY | O_CREAT | O_TRUNC);
            redirect(words[1], 2, O_WRONLY | O_CREAT | O_TRUNC);
            redirect("/dev/null", 0, O_RDONLY);
            for (int i = 2; i < n; i++) {
                argv[i - 1] = words[i];
            }
            argv[n - 1] = NULL;
            ((long *) argv)[-1] = n - 1;
            return;
        }
        int status = 0;
        if (pid < 0 || waitpid(pid, &status, 0) < 0) {
            printf("bad fork\n");
        } else {
            printf("%d\n", WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
        }
        fflush(stdout);
    }
    exit(0);
}
