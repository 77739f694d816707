/** Persistence engines (PE): extra template keys such as the SIP Call-ID, and their per-template storage. */
package uvs.core.persist;
