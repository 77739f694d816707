package uvs.ctl.cli;

/** ipvsadm's commands ({@code CMD_*}) in table order, with the names its messages use ({@code cmdnames[]}). */
enum CommandKind {
    /** -A. */
    ADD("add-service"),
    /** -E. */
    EDIT("edit-service"),
    /** -D. */
    DEL("delete-service"),
    /** -C. */
    FLUSH("flush"),
    /** -L / -l. */
    LIST("list"),
    /** -a. */
    ADDDEST("add-server"),
    /** -d. */
    DELDEST("delete-server"),
    /** -e. */
    EDITDEST("edit-server"),
    /** --set. */
    TIMEOUT("set"),
    /** --start-daemon. */
    STARTDAEMON("start-daemon"),
    /** --stop-daemon. */
    STOPDAEMON("stop-daemon"),
    /** -R. */
    RESTORE("restore"),
    /** -S. */
    SAVE("save"),
    /** -Z. */
    ZERO("zero");

    private final String cmdName;

    CommandKind(String cmdName) {
        this.cmdName = cmdName;
    }

    /** The name ipvsadm's messages use. */
    String cmdName() {
        return cmdName;
    }
}
