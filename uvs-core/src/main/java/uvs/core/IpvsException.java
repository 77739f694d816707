package uvs.core;

/**
 * A refused control operation, carrying the kernel's errno and the message ipvsadm prints for it, so
 * that every front end reports errors in the words IPVS operators know.
 */
public final class IpvsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The control operations whose errors ipvsadm words differently. */
    public enum Op {
        /** {@code -A}. */
        ADD_SERVICE,
        /** {@code -E}. */
        EDIT_SERVICE,
        /** {@code -D}. */
        DELETE_SERVICE,
        /** {@code -Z}. */
        ZERO,
        /** {@code -a}. */
        ADD_DEST,
        /** {@code -e}. */
        EDIT_DEST,
        /** {@code -d}. */
        DELETE_DEST,
        /** {@code --start-daemon}. */
        START_DAEMON,
        /** {@code --stop-daemon}. */
        STOP_DAEMON,
        /** {@code -L} of one service. */
        GET_SERVICE,
        /** Anything else. */
        OTHER
    }

    /** Linux errno values used by the control path. */
    public static final class Errno {
        /** Operation not permitted. */
        public static final int EPERM = 1;
        /** No such file or directory (unknown scheduler / PE). */
        public static final int ENOENT = 2;
        /** No such process (no such service / daemon). */
        public static final int ESRCH = 3;
        /** Out of memory (connection table full). */
        public static final int ENOMEM = 12;
        /** Already exists. */
        public static final int EEXIST = 17;
        /** Invalid argument. */
        public static final int EINVAL = 22;
        /** Result out of range. */
        public static final int ERANGE = 34;
        /** Protocol not available. */
        public static final int ENOPROTOOPT = 92;
        /** Operation not supported. */
        public static final int EOPNOTSUPP = 95;
        /** Address family not supported. */
        public static final int EAFNOSUPPORT = 97;

        private Errno() {
        }
    }

    private final Op op;
    private final int errno;
    private final String detail;

    /** An error of {@code op} with {@code errno}; {@code detail} says which value was wrong (may be null). */
    public IpvsException(Op op, int errno, String detail) {
        super(message(op, errno) + (detail == null ? "" : " (" + detail + ")"));
        this.op = op;
        this.errno = errno;
        this.detail = detail;
    }

    /** The operation that failed. */
    public Op op() {
        return op;
    }

    /** Linux errno. */
    public int errno() {
        return errno;
    }

    /** Which value was wrong, or null. */
    public String detail() {
        return detail;
    }

    /** The message exactly as ipvsadm prints it for this operation and errno. */
    public String ipvsadmMessage() {
        return message(op, errno);
    }

    /** ipvsadm's wording (libipvs ipvs_strerror table, then strerror). */
    public static String message(Op op, int errno) {
        switch (op) {
            case ADD_SERVICE:
                if (errno == Errno.EEXIST) {
                    return "Service already exists";
                }
                if (errno == Errno.ENOENT) {
                    return "Scheduler or persistence engine not found";
                }
                break;
            case EDIT_SERVICE:
                if (errno == Errno.ESRCH) {
                    return "No such service";
                }
                if (errno == Errno.ENOENT) {
                    return "Scheduler or persistence engine not found";
                }
                break;
            case DELETE_SERVICE, ZERO, GET_SERVICE:
                if (errno == Errno.ESRCH) {
                    return "No such service";
                }
                break;
            case ADD_DEST:
                if (errno == Errno.ESRCH) {
                    return "Service not defined";
                }
                if (errno == Errno.EEXIST) {
                    return "Destination already exists";
                }
                break;
            case EDIT_DEST, DELETE_DEST:
                if (errno == Errno.ESRCH) {
                    return "Service not defined";
                }
                if (errno == Errno.ENOENT) {
                    return "No such destination";
                }
                break;
            case START_DAEMON:
                if (errno == Errno.EEXIST) {
                    return "Daemon has already run";
                }
                break;
            case STOP_DAEMON:
                if (errno == Errno.ESRCH) {
                    return "No daemon is running";
                }
                break;
            default:
                break;
        }
        return switch (errno) {
            case Errno.EPERM -> "Permission denied (you must be root)";
            case Errno.EINVAL -> "Invalid operation.  Possibly wrong module version, address not unicast, ...";
            case Errno.ENOPROTOOPT -> "Protocol not available";
            case Errno.ENOMEM -> "Memory allocation problem";
            case Errno.EOPNOTSUPP -> "Operation not supported with IPv6";
            case Errno.EAFNOSUPPORT -> "Operation not supported with specified address family";
            case Errno.ERANGE -> "Numerical result out of range";
            case Errno.ENOENT -> "No such file or directory";
            case Errno.ESRCH -> "No such process";
            case Errno.EEXIST -> "File exists";
            default -> "Unknown error " + errno;
        };
    }
}
