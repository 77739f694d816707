package uvs.lab.e2e;

import uvs.lab.demo.DirectorPair;
import uvs.lab.net.HaMode;
import uvs.lab.net.RouteMode;

/** {@link ActiveActiveScenarios} with the router's ECMP route set by the lab and moved by it on removal. */
class ActiveActiveE2eTest extends ActiveActiveScenarios {
    @Override
    HaMode ha() {
        return HaMode.STATIC;
    }

    @Override
    String tag() {
        return "aa";
    }

    @Override
    void bothActive() {
        lab.lab().routeMode(RouteMode.ECMP);
    }

    @Override
    void remove(DirectorPair directors, int i) {
        directors.director(i).kill();
        lab.lab().routeMode(i == 1 ? RouteMode.D2 : RouteMode.D1);
    }
}
