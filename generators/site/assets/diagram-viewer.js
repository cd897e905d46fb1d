/* reqdsl diagram viewer: opens a diagram full size over the page, with pan and zoom.
 * Local, no network, works from file://. Apache-2.0, as reqdsl.
 *
 * Every diagram on the site is `<a href="x.svg"><img class="rq-diagram" src="x.svg"></a>`.
 * A click (or Enter on the focused link) shows that same SVG file in an overlay at its
 * natural size: wheel or +/- zoom around the pointer, drag or arrow keys pan, 0 fits,
 * 1 is 100 %, Escape or the close button closes. Ctrl/Cmd-click or a middle click still
 * opens the SVG file itself in a new tab. The overlay is built with DOM calls only: the
 * image's address and alt text are copied as properties, never written as markup.
 */
(function () {
  "use strict";

  var STYLE = {
    overlay: "position:fixed;inset:0;z-index:10000;background:rgba(32,32,32,.92);" +
      "overflow:hidden;cursor:grab;touch-action:none",
    image: "position:absolute;left:0;top:0;transform-origin:0 0;background:#fff;" +
      "max-width:none;max-height:none;user-select:none",
    bar: "position:absolute;top:8px;right:8px;display:flex;gap:6px;z-index:1",
    button: "font:14px/1 sans-serif;padding:6px 10px;border:0;border-radius:4px;" +
      "background:#fff;color:#222;cursor:pointer",
    help: "position:absolute;left:8px;top:8px;color:#eee;background:rgba(32,32,32,.8);" +
      "padding:4px 6px;border-radius:4px;font:12px sans-serif"
  };

  function button(text, title, action) {
    var b = document.createElement("button");
    b.type = "button";
    b.textContent = text;
    b.title = title;
    b.setAttribute("style", STYLE.button);
    b.addEventListener("click", function (event) {
      event.stopPropagation();
      action();
    });
    return b;
  }

  function open(source, opener) {
    var overlay = document.createElement("div");
    overlay.className = "rq-viewer";
    overlay.setAttribute("role", "dialog");
    overlay.setAttribute("aria-modal", "true");
    overlay.setAttribute("aria-label", window.reqdslLabels.diagram);
    overlay.setAttribute("style", STYLE.overlay);
    overlay.tabIndex = -1;
    var image = document.createElement("img");
    image.src = source.src;
    image.alt = source.alt;
    image.draggable = false;
    image.setAttribute("style", STYLE.image);
    var view = { scale: 1, x: 0, y: 0 };

    function draw() {
      image.style.transform =
        "translate(" + view.x + "px," + view.y + "px) scale(" + view.scale + ")";
    }
    function zoom(factor, cx, cy) {
      var scale = Math.min(8, Math.max(0.05, view.scale * factor));
      view.x = cx - (cx - view.x) * (scale / view.scale);
      view.y = cy - (cy - view.y) * (scale / view.scale);
      view.scale = scale;
      draw();
    }
    function fit() {
      var w = image.naturalWidth || 1, h = image.naturalHeight || 1;
      view.scale = Math.min(1, overlay.clientWidth / w, overlay.clientHeight / h);
      view.x = (overlay.clientWidth - w * view.scale) / 2;
      view.y = Math.max(0, (overlay.clientHeight - h * view.scale) / 2);
      draw();
    }
    function actual() {
      // 100 %: start at the top left corner, where PlantUML puts the title.
      view.scale = 1;
      view.x = Math.max(0, (overlay.clientWidth - image.naturalWidth) / 2);
      view.y = 0;
      draw();
    }
    function close() {
      document.removeEventListener("keydown", keys, true);
      overlay.remove();
      document.documentElement.style.overflow = "";
      if (opener) opener.focus();
    }
    function keys(event) {
      var step = 60, c = [overlay.clientWidth / 2, overlay.clientHeight / 2];
      var moves = { ArrowLeft: [step, 0], ArrowRight: [-step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] };
      if (event.key === "Escape") close();
      else if (event.key === "+" || event.key === "=") zoom(1.25, c[0], c[1]);
      else if (event.key === "-") zoom(0.8, c[0], c[1]);
      else if (event.key === "0") fit();
      else if (event.key === "1") actual();
      else if (moves[event.key]) {
        view.x += moves[event.key][0];
        view.y += moves[event.key][1];
        draw();
      } else return;
      event.preventDefault();
      event.stopPropagation();
    }

    var drag = null;
    overlay.addEventListener("wheel", function (event) {
      event.preventDefault();
      zoom(event.deltaY < 0 ? 1.15 : 1 / 1.15, event.clientX, event.clientY);
    }, { passive: false });
    overlay.addEventListener("pointerdown", function (event) {
      drag = { x: event.clientX - view.x, y: event.clientY - view.y };
      overlay.setPointerCapture(event.pointerId);
      overlay.style.cursor = "grabbing";
    });
    overlay.addEventListener("pointermove", function (event) {
      if (!drag) return;
      view.x = event.clientX - drag.x;
      view.y = event.clientY - drag.y;
      draw();
    });
    overlay.addEventListener("pointerup", function () {
      drag = null;
      overlay.style.cursor = "grab";
    });

    var bar = document.createElement("div");
    bar.setAttribute("style", STYLE.bar);
    bar.addEventListener("pointerdown", function (event) { event.stopPropagation(); });
    bar.appendChild(button("+", "Zoom in (+)", function () { zoom(1.25, overlay.clientWidth / 2, overlay.clientHeight / 2); }));
    bar.appendChild(button("\u2212", "Zoom out (-)", function () { zoom(0.8, overlay.clientWidth / 2, overlay.clientHeight / 2); }));
    bar.appendChild(button("Fit", "Fit to the window (0)", fit));
    bar.appendChild(button("100 %", "Actual size (1)", actual));
    bar.appendChild(button("\u2715", "Close (Escape)", close));
    var help = document.createElement("div");
    help.setAttribute("style", STYLE.help);
    help.textContent = window.reqdslLabels.viewerHelp;

    overlay.appendChild(image);
    overlay.appendChild(bar);
    overlay.appendChild(help);
    document.body.appendChild(overlay);
    document.documentElement.style.overflow = "hidden";
    document.addEventListener("keydown", keys, true);
    overlay.focus();
    if (image.complete) actual();
    else image.addEventListener("load", actual);
  }

  document.addEventListener("click", function (event) {
    if (event.defaultPrevented || event.button !== 0 || event.ctrlKey || event.metaKey ||
        event.shiftKey || event.altKey) return;
    var link = event.target.closest && event.target.closest("a");
    var image = link && link.querySelector("img.rq-diagram");
    if (!image) return;
    event.preventDefault();
    open(image, link);
  });
})();
