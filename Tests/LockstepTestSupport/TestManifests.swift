/// The smallest valid manifest: one component `web` running busybox. CLI tests that
/// only need some release to exist use it, so that none restates the YAML.
public enum TestManifests {
    public static func busyboxWeb(named name: String = "shop") -> String {
        """
        name: \(name)
        components:
          - name: web
            containers:
              - source: public
                image_name: busybox
                version: "1"
        """
    }
}
