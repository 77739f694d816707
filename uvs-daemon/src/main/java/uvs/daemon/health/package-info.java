/**
 * The health checker: checks of real servers with keepalived and ldirectord semantics, run as their settings in
 * {@link uvs.ctl.health} say.
 *
 * <p>{@link uvs.ctl.health.HealthConfig} lists one {@link uvs.ctl.health.HealthCheckConfig} per
 * checked real server, at most one {@link uvs.ctl.health.SorryServer} and one
 * {@link uvs.ctl.health.ServiceQuorum} per virtual service;
 * {@link uvs.daemon.health.HealthChecker} runs them and changes the engine only through
 * {@link uvs.daemon.EngineGroup#submit}.
 *
 * <ul>
 *   <li><b>Kinds</b> ({@link uvs.ctl.health.CheckKind}): TCP connect; HTTP/HTTPS GET with status
 *       ranges, body text and MD5 digest (HTTPS does not verify certificates unless asked, like SSL_GET), one
 *       or several urls; UDP request/response; SMTP; DNS; ICMP echo; ldirectord's negotiate for POP,
 *       IMAP, NNTP and FTP; external command with keepalived's {@code misc_dynamic} weights.</li>
 *   <li><b>States</b>: a server starts up (or down with keepalived {@code alpha}); up goes down after
 *       {@code retries} consecutive failures, retried after {@code delayBeforeRetry}; down goes up after
 *       one success. There is no separate "rise" count, as in keepalived's checkers and ldirectord.</li>
 *   <li><b>Down</b>: quiesced (weight 0, the default: ldirectord {@code quiescent=yes}, keepalived
 *       {@code inhibit_on_failure}) or removed; <b>up</b>: the configured weight (or the misc_dynamic
 *       one) returns, or the server is added again with its configuration.</li>
 *   <li><b>Quorum and sorry server</b> (keepalived's {@code update_quorum_state}): the quorum is lost
 *       when the live weight (weights of the checked servers that are up) falls below quorum - hysteresis
 *       or to 0, gained at quorum + hysteresis; while it is lost the sorry server is in and the live
 *       servers are out. Unchecked real servers of the service do not count.</li>
 * </ul>
 *
 * <p>Mapping for importers: keepalived {@code delay_loop}, {@code connect_timeout}/{@code misc_timeout},
 * {@code retry n} (= {@code retries n + 1}), {@code delay_before_retry}, {@code warmup} (an upper bound there:
 * the importer draws the delay), {@code connect_ip}/{@code connect_port}, {@code virtualhost}, {@code status_code}, {@code digest};
 * ldirectord {@code checkinterval}, {@code checktimeout}/{@code negotiatetimeout}, {@code failurecount n}
 * (= {@code retries n}), {@code checkport}, {@code request} (the path), {@code receive} (taken as literal
 * text, not a regular expression), {@code fallback}.
 */
package uvs.daemon.health;
