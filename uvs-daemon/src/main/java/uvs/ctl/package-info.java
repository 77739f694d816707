/** The control plane: ipvsadm's command model, its output formats, and the views they read. */
package uvs.ctl;
