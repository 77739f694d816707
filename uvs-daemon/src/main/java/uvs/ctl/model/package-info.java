/**
 * The typed desired state of a director: {@link uvs.ctl.model.DirectorConfig} and its parts, built by every
 * front end (ipvsadm rules files through {@link uvs.ctl.model.RulesBuilder}, the keepalived and ldirectord
 * importers directly), checked by one pure {@link uvs.ctl.model.ConfigValidator}, and brought to an engine
 * by the {@link uvs.ctl.model.Reconciler}'s ordered {@link uvs.ctl.model.Change}s. Nothing here reads a file
 * or needs an engine except {@link uvs.ctl.model.EngineModel}, which runs on the engine's own thread.
 */
package uvs.ctl.model;
