/** Address and protocol value types shared by every UVS module. */
package uvs.core.net;
