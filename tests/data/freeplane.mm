<map version="freeplane 1.9.13">
<!--To view this file, download free mind mapping software Freeplane from https://www.freeplane.org -->
<node TEXT="Scaling Hypothesis" FOLDED="false" ID="ID_1090958577" CREATED="1701338400000" MODIFIED="1701342000000" STYLE="oval">
<font SIZE="18"/>
<hook NAME="MapStyle">
    <properties edgeColorConfiguration="#808080ff,#ff0000ff,#0000ffff,#00ff00ff,#ff00ffff,#00ffffff,#7c0000ff,#00007cff,#007c00ff,#7c007cff,#007c7cff,#7c7c00ff" show_note_icons="true" fit_to_viewport="false"/>

<map_styles>
<stylenode LOCALIZED_TEXT="styles.root_node" STYLE="oval" UNIFORM_SHAPE="true" VGAP_QUANTITY="24 pt">
<font SIZE="24"/>
<stylenode LOCALIZED_TEXT="styles.predefined" POSITION="bottom_or_right" STYLE="bubble">
<stylenode LOCALIZED_TEXT="default" ID="ID_271890427" ICON_SIZE="12 pt" COLOR="#000000" STYLE="fork">
<arrowlink SHAPE="CUBIC_CURVE" COLOR="#000000" WIDTH="2" TRANSPARENCY="200" DASH="" FONT_SIZE="9" FONT_FAMILY="SansSerif" DESTINATION="ID_271890427" STARTARROW="NONE" ENDARROW="DEFAULT"/>
<font NAME="SansSerif" SIZE="10" BOLD="false" ITALIC="false"/>
<richcontent TYPE="DETAILS" CONTENT-TYPE="plain/auto"/>
<richcontent TYPE="NOTE" CONTENT-TYPE="plain/auto"/>
</stylenode>
<stylenode LOCALIZED_TEXT="defaultstyle.details"/>
<stylenode LOCALIZED_TEXT="defaultstyle.attributes">
<font SIZE="9"/>
</stylenode>
<stylenode LOCALIZED_TEXT="defaultstyle.note" COLOR="#000000" BACKGROUND_COLOR="#ffffff" TEXT_ALIGN="LEFT"/>
<stylenode LOCALIZED_TEXT="defaultstyle.floating">
<edge STYLE="hide_edge"/>
<cloud COLOR="#f0f0f0" SHAPE="ROUND_RECT"/>
</stylenode>
</stylenode>
</stylenode>
</map_styles>
</hook>
<hook NAME="AutomaticEdgeColor" COUNTER="3" RULE="ON_BRANCH_CREATION"/>
<richcontent CONTENT-TYPE="xml/" TYPE="DETAILS">
<html>
  <head>
    
  </head>
  <body>
    <p>
      Bigger models, trained on more data with more compute, keep getting better.
    </p>
  </body>
</html></richcontent>
<node TEXT="Compute" POSITION="bottom_or_right" ID="ID_1723255651" CREATED="1701338460000" MODIFIED="1701341000000">
<edge COLOR="#ff0000"/>
<richcontent CONTENT-TYPE="xml/" TYPE="DETAILS">
<html>
  <head>
    
  </head>
  <body>
    <p>
      The arithmetic a training run spends,
    </p>
    <p>
      counted in FLOPs.
    </p>
  </body>
</html></richcontent>
<richcontent TYPE="NOTE" CONTENT-TYPE="xml/">
<html>
  <head>
    
  </head>
  <body>
    <p>
      See <b>Kaplan et&nbsp;al.</b> 2020.
    </p>
  </body>
</html></richcontent>
<attribute_layout NAME_WIDTH="60 pt" VALUE_WIDTH="120 pt"/>
<attribute NAME="mnemonic" VALUE="FLOPs are the fuel"/>
<attribute NAME="source" VALUE="Kaplan 2020"/>
<node TEXT="GPU Usage" ID="ID_519782030" CREATED="1701338520000" MODIFIED="1701338520000">
<arrowlink SHAPE="CUBIC_CURVE" COLOR="#000000" WIDTH="2" TRANSPARENCY="200" DASH="" FONT_SIZE="9" FONT_FAMILY="SansSerif" DESTINATION="ID_1316568271" MIDDLE_LABEL="limits" STARTINCLINATION="131.25 pt;0 pt;" ENDINCLINATION="131.25 pt;0 pt;" STARTARROW="NONE" ENDARROW="DEFAULT"/>
<richcontent TYPE="NOTE" CONTENT-TYPE="plain/markdown">
    <text>How busy the accelerators are.</text>
</richcontent>
</node>
<node ID="ID_509076620" CREATED="1701338580000" MODIFIED="1701339000000"><richcontent TYPE="NODE">

<html>
  <head>
    
  </head>
  <body>
    <p>
      <b>Distributed</b> Training
    </p>
  </body>
</html>
</richcontent>
<richcontent TYPE="DETAILS" CONTENT-TYPE="plain/auto">
    <text>Spreading one run over many devices.</text>
</richcontent>
</node>
</node>
<node TEXT="Data" POSITION="bottom_or_right" ID="ID_1316568271" CREATED="1701338640000" MODIFIED="1701338640000">
<edge COLOR="#0000ff"/>
<arrowlink SHAPE="CUBIC_CURVE" COLOR="#000000" WIDTH="2" TRANSPARENCY="200" DASH="" FONT_SIZE="9" FONT_FAMILY="SansSerif" DESTINATION="ID_509076620" STARTINCLINATION="40 pt;0 pt;" ENDINCLINATION="40 pt;0 pt;" STARTARROW="NONE" ENDARROW="DEFAULT"/>
<node TEXT="Data&#xa;Quality" ID="ID_1776790765" CREATED="1701338700000" MODIFIED="1701338700000"/>
</node>
</node>
</map>
