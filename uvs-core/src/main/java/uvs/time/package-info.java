/**
 * Time sources. Every UVS component reads time through an injected {@link uvs.time.NanoClock};
 * only {@link uvs.time.SystemNanoClock} touches the system timer.
 */
package uvs.time;
