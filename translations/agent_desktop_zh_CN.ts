<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AdminPages</name>
    <message>
        <source>Users</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Teams</source>
        <translation>团队</translation>
    </message>
    <message>
        <source>Roles</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <source>SLA policies and escalation</source>
        <translation>服务时限与升级</translation>
    </message>
    <message>
        <source>Reason codes and dispositions</source>
        <translation>原因代码与处理结果</translation>
    </message>
    <message>
        <source>Queues</source>
        <translation>队列</translation>
    </message>
    <message>
        <source>Skills</source>
        <translation>技能</translation>
    </message>
    <message>
        <source>Callback and survey policy</source>
        <translation>回访与调查策略</translation>
    </message>
</context>
<context>
    <name>Administration</name>
    <message>
        <source>Role %1 saved.</source>
        <translation>角色 %1 已保存。</translation>
    </message>
    <message>
        <source>Role %1 deleted.</source>
        <translation>角色 %1 已删除。</translation>
    </message>
    <message>
        <source>%1 was signed out everywhere.</source>
        <translation>%1 已在所有设备上退出登录。</translation>
    </message>
    <message>
        <source>Team %1 created.</source>
        <translation>团队 %1 已创建。</translation>
    </message>
    <message>
        <source>The file cannot be read: %1</source>
        <translation>无法读取该文件：%1</translation>
    </message>
    <message>
        <source>Sign in to administer the centre.</source>
        <translation>请先登录再管理中心。</translation>
    </message>
    <message>
        <source>This server has no administration yet (it is older than this desk); ask IT to update it.</source>
        <translation>此服务器尚无管理功能（版本比本桌面旧）；请联系 IT 升级。</translation>
    </message>
    <message>
        <source>%1 problem(s): nothing will be imported.</source>
        <translation>%1 个问题：不会导入任何内容。</translation>
    </message>
    <message>
        <source>%1 user(s) and %2 new team(s) to create.</source>
        <translation>将创建 %1 个用户和 %2 个新团队。</translation>
    </message>
</context>
<context>
    <name>AdministrationArea</name>
    <message>
        <source>Administration</source>
        <translation>管理</translation>
    </message>
    <message>
        <source>Administration pages</source>
        <translation>管理页面</translation>
    </message>
</context>
<context>
    <name>AgentsModel</name>
    <message>
        <source>Off</source>
        <translation>不在班</translation>
    </message>
    <message>
        <source>Working</source>
        <translation>在岗接线</translation>
    </message>
    <message>
        <source>Break</source>
        <translation>小休</translation>
    </message>
    <message>
        <source>Lunch</source>
        <translation>午餐</translation>
    </message>
    <message>
        <source>In</source>
        <translation>符合</translation>
    </message>
    <message>
        <source>Out %1</source>
        <translation>偏离 %1</translation>
    </message>
    <message>
        <source>Agent</source>
        <translation>坐席</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Time in state</source>
        <translation>状态时长</translation>
    </message>
    <message>
        <source>Current call</source>
        <translation>当前通话</translation>
    </message>
    <message>
        <source>Calls handled today</source>
        <translation>今日处理通话</translation>
    </message>
    <message>
        <source>Average handle time</source>
        <translation>平均处理时长</translation>
    </message>
    <message>
        <source>Scheduled</source>
        <translation>排班</translation>
    </message>
    <message>
        <source>% today</source>
        <translation>今日遵从率</translation>
    </message>
    <message>
        <source>Adherence</source>
        <translation>排班遵从</translation>
    </message>
    <message>
        <source>Logged out</source>
        <translation>已签出</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <source>Not ready</source>
        <translation>未就绪</translation>
    </message>
    <message>
        <source>On call</source>
        <translation>通话中</translation>
    </message>
    <message>
        <source>Wrap-up</source>
        <translation>话后处理</translation>
    </message>
    <message>
        <source>Not ready beyond your limit</source>
        <translation>未就绪时长超过设定上限</translation>
    </message>
    <message>
        <source>The agent&apos;s desk stopped answering (closed by a crash, a power cut or the network); the agent was logged out so no call is offered to it.</source>
        <translation>该坐席的工作台已失去响应（程序崩溃、断电或网络中断），系统已将其登出，不会再向其分配来电。</translation>
    </message>
    <message>
        <source>In adherence since %1</source>
        <translation>自 %1 起符合排班</translation>
    </message>
    <message>
        <source>Out of adherence since %1: scheduled %2, actually %3</source>
        <translation>自 %1 起偏离排班：应为%2，实际%3</translation>
    </message>
    <message>
        <source>Lost contact</source>
        <translation>失去联系</translation>
    </message>
</context>
<context>
    <name>AlertsModel</name>
    <message>
        <source>Fired</source>
        <translation>触发时间</translation>
    </message>
    <message>
        <source>Alert</source>
        <translation>告警</translation>
    </message>
    <message>
        <source>Cleared</source>
        <translation>解除时间</translation>
    </message>
    <message>
        <source>Acknowledged</source>
        <translation>已确认</translation>
    </message>
    <message>
        <source>%1 at %2</source>
        <translation>%1 于 %2</translation>
    </message>
    <message>
        <source>%1: %2 calls waiting (limit %3)</source>
        <translation>%1：%2 个来电排队（上限 %3）</translation>
    </message>
    <message>
        <source>%1: a caller has waited %2 (limit %3)</source>
        <translation>%1：有来电已等待 %2（上限 %3）</translation>
    </message>
    <message>
        <source>%1: service level %2, below %3</source>
        <translation>%1：服务水平 %2，低于 %3</translation>
    </message>
    <message>
        <source>%1: not ready for %2 (limit %3)</source>
        <translation>%1：未就绪已 %2（上限 %3）</translation>
    </message>
    <message>
        <source>Complaint %1 breaches its deadline in %2</source>
        <translation>投诉 %1 将在 %2 后超时</translation>
    </message>
    <message>
        <source>active</source>
        <translation>未解除</translation>
    </message>
</context>
<context>
    <name>AnswerDialog</name>
    <message>
        <source>Answer the question</source>
        <translation>回答问题</translation>
    </message>
    <message>
        <source>The answer, step by step, as agents will read it</source>
        <translation>按坐席阅读的方式，分步骤写出答案</translation>
    </message>
    <message>
        <source>Publish it as a knowledge article</source>
        <translation>发布为知识库文章</translation>
    </message>
    <message>
        <source>Chinese</source>
        <translation>中文</translation>
    </message>
    <message>
        <source>English</source>
        <translation>英文</translation>
    </message>
    <message>
        <source>Question:</source>
        <translation>问题：</translation>
    </message>
    <message>
        <source>Product line:</source>
        <translation>产品线：</translation>
    </message>
    <message>
        <source>&amp;Existing article:</source>
        <translation>现有文章(&amp;E)：</translation>
    </message>
    <message>
        <source>&amp;Kept for the search:</source>
        <translation>保留用于搜索(&amp;K)：</translation>
    </message>
    <message>
        <source>&amp;Answer:</source>
        <translation>答案(&amp;A)：</translation>
    </message>
    <message>
        <source>&amp;Title:</source>
        <translation>标题(&amp;T)：</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>语言(&amp;L)：</translation>
    </message>
    <message>
        <source>Send the answer</source>
        <translation>发送答案</translation>
    </message>
    <message>
        <source>The next agent who asks in these words finds the article. Every team sees them: take out names, addresses and anything else about the customer.</source>
        <translation>下一位坐席用这些词提问时会找到这篇文章。所有团队都能看到这些词：请删去姓名、地址等任何有关客户的信息。</translation>
    </message>
    <message>
        <source>Answer with an article that exists</source>
        <translation>用现有文章回答</translation>
    </message>
    <message>
        <source>— none: write the answer —</source>
        <translation>— 不使用：自己写答案 —</translation>
    </message>
    <message>
        <source>See the article “%1”.</source>
        <translation>请参阅文章“%1”。</translation>
    </message>
    <message>
        <source>Write the answer first.</source>
        <translation>请先填写答案。</translation>
    </message>
    <message>
        <source>The answer is too long (at most %1 characters).</source>
        <translation>答案太长（最多 %1 个字符）。</translation>
    </message>
    <message>
        <source>A published article needs a title.</source>
        <translation>发布的文章需要标题。</translation>
    </message>
    <message>
        <source>At most %1 characters.</source>
        <translation>最多 %1 个字符。</translation>
    </message>
</context>
<context>
    <name>ApiErrors</name>
    <message>
        <source>Enter the server address, for example https://cc.example.com.</source>
        <translation>请输入服务器地址，例如 https://cc.example.com。</translation>
    </message>
    <message>
        <source>The server address must start with https:// or http://.</source>
        <translation>服务器地址必须以 https:// 或 http:// 开头。</translation>
    </message>
    <message>
        <source>The server address has no host name.</source>
        <translation>服务器地址缺少主机名。</translation>
    </message>
    <message>
        <source>The server address has an invalid port number.</source>
        <translation>服务器地址的端口号无效。</translation>
    </message>
    <message>
        <source>The server address is not valid.</source>
        <translation>服务器地址无效。</translation>
    </message>
    <message>
        <source>Cannot reach the server %1. Check the address and your network connection.</source>
        <translation>无法连接服务器 %1。请检查地址和网络连接。</translation>
    </message>
    <message>
        <source>The server %1 did not answer in time. Try again in a moment.</source>
        <translation>服务器 %1 未及时响应，请稍后重试。</translation>
    </message>
    <message>
        <source>The server %1 did not present a trusted certificate. Ask IT for the CA file and set it as server.ca_file in the configuration.</source>
        <translation>服务器 %1 未提供受信任的证书。请向 IT 部门索取 CA 文件，并在配置中设置为 server.ca_file。</translation>
    </message>
    <message>
        <source>The request to %1 failed.</source>
        <translation>对 %1 的请求失败。</translation>
    </message>
    <message>
        <source>Wrong user name or password.</source>
        <translation>用户名或密码错误。</translation>
    </message>
    <message>
        <source>Your session has expired. Please sign in again.</source>
        <translation>您的会话已过期，请重新登录。</translation>
    </message>
    <message>
        <source>Enter your user name.</source>
        <translation>请输入用户名。</translation>
    </message>
    <message>
        <source>Enter your password.</source>
        <translation>请输入密码。</translation>
    </message>
    <message>
        <source>Sign-in is required.</source>
        <translation>需要登录。</translation>
    </message>
    <message>
        <source>This version of Agent Workstation is too old for the server at %1. Ask IT to update it; your unsent work stays on this PC until then.</source>
        <translation>此版本的坐席工作台太旧，服务器 %1 已不再支持。请联系 IT 升级；升级前，未发送的工作会保留在本机。</translation>
    </message>
    <message>
        <source>The server at %1 did not answer like an Agent Workstation backend. Check the server address.</source>
        <translation>%1 上的服务器的应答不像坐席工作台后台。请检查服务器地址。</translation>
    </message>
    <message>
        <source>The server %1 had a problem (HTTP %2). Try again in a moment; if it keeps happening, tell IT.</source>
        <translation>服务器 %1 出现问题（HTTP %2）。请稍后再试；如果一直出现，请联系 IT。</translation>
    </message>
    <message>
        <source>The server refused the request: %1</source>
        <translation>服务器拒绝了请求：%1</translation>
    </message>
    <message>
        <source>Unexpected error (%1). Details are in the log.</source>
        <translation>意外错误（%1）。详细信息已写入日志。</translation>
    </message>
    <message>
        <source>The server could not take this change (HTTP %1). Resend it later, or discard it to go back to the server&apos;s copy.</source>
        <translation>服务器无法接收这项更改（HTTP %1）。请稍后重新发送，或放弃更改以恢复为服务器上的版本。</translation>
    </message>
    <message>
        <source>This %1 is already used by another record; choose another.</source>
        <translation>该%1已被其他记录使用，请换一个。</translation>
    </message>
    <message>
        <source>You are not allowed to make this change.</source>
        <translation>您无权进行此修改。</translation>
    </message>
    <message>
        <source>The record is no longer on the server (deleted or moved to another team).</source>
        <translation>该记录已不在服务器上（已删除或已转到其他团队）。</translation>
    </message>
    <message>
        <source>It cannot be deleted while other records use it.</source>
        <translation>仍有其他记录在使用它，无法删除。</translation>
    </message>
    <message>
        <source>The server did not accept the %1.</source>
        <translation>服务器未接受该%1。</translation>
    </message>
    <message>
        <source>value</source>
        <translation>值</translation>
    </message>
</context>
<context>
    <name>ArticleDialog</name>
    <message>
        <source>Knowledge article</source>
        <translation>知识库文章</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>ArticleView</name>
    <message>
        <source>Article text</source>
        <translation>文章正文</translation>
    </message>
    <message>
        <source>Helpful</source>
        <translation>有用</translation>
    </message>
    <message>
        <source>Not helpful</source>
        <translation>没用</translation>
    </message>
    <message>
        <source>Link to ticket</source>
        <translation>关联到工单</translation>
    </message>
    <message>
        <source>Choose an article to read it here.</source>
        <translation>选择一篇文章，即可在此阅读。</translation>
    </message>
    <message>
        <source>Version %1</source>
        <translation>第 %1 版</translation>
    </message>
    <message>
        <source>%1 views · %2 found it helpful · %3 did not</source>
        <translation>浏览 %1 次 · %2 人觉得有用 · %3 人觉得没用</translation>
    </message>
    <message>
        <source>(yours not sent yet)</source>
        <translation>（您的评价尚未发送）</translation>
    </message>
</context>
<context>
    <name>AudioDialog</name>
    <message>
        <source>Audio devices</source>
        <translation>音频设备</translation>
    </message>
    <message>
        <source>Echo test: hear my own microphone</source>
        <translation>回声测试：听到自己的麦克风</translation>
    </message>
    <message>
        <source>Headset / speaker:</source>
        <translation>耳机 / 扬声器：</translation>
    </message>
    <message>
        <source>Microphone:</source>
        <translation>麦克风：</translation>
    </message>
    <message>
        <source>Microphone level:</source>
        <translation>麦克风音量：</translation>
    </message>
    <message>
        <source>Headset buttons:</source>
        <translation>耳机按键：</translation>
    </message>
    <message>
        <source>Speak: the bar should move. Calls switch to the new devices at once.</source>
        <translation>请说话：音量条应会跳动。通话会立即切换到新设备。</translation>
    </message>
    <message>
        <source>System default</source>
        <translation>系统默认</translation>
    </message>
    <message>
        <source>Automatic (the first USB headset found)</source>
        <translation>自动（使用找到的第一个 USB 耳机）</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>CalibrationView</name>
    <message>
        <source>First evaluation</source>
        <translation>第一份评分</translation>
    </message>
    <message>
        <source>Second evaluation</source>
        <translation>第二份评分</translation>
    </message>
    <message>
        <source>&amp;Compare</source>
        <translation>对比(&amp;C)</translation>
    </message>
    <message>
        <source>Compare the two evaluations</source>
        <translation>对比两份评分</translation>
    </message>
    <message>
        <source>Answers side by side</source>
        <translation>逐项对照</translation>
    </message>
    <message>
        <source>&amp;First:</source>
        <translation>第一份(&amp;F):</translation>
    </message>
    <message>
        <source>&amp;Second:</source>
        <translation>第二份(&amp;S):</translation>
    </message>
    <message>
        <source>%1 · call %2 · %3 · %4 %</source>
        <translation>%1 · 通话 %2 · %3 · %4 分</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>评分项</translation>
    </message>
    <message>
        <source>The two evaluators differ here.</source>
        <translation>两位质检员在此项的评定不同。</translation>
    </message>
    <message>
        <source>%1: %2 % · %3: %4 % · difference %5 points · %6 of %7 items differ</source>
        <translation>%1:%2 分 · %3:%4 分 · 相差 %5 分 · %7 项中有 %6 项不同</translation>
    </message>
</context>
<context>
    <name>CallBar</name>
    <message>
        <source>Call bar</source>
        <translation>通话栏</translation>
    </message>
    <message>
        <source>Caller</source>
        <translation>来电者</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>号码</translation>
    </message>
    <message>
        <source>Queue or number dialled</source>
        <translation>队列或所拨号码</translation>
    </message>
    <message>
        <source>Call timer</source>
        <translation>通话计时</translation>
    </message>
    <message>
        <source>Hold timer</source>
        <translation>保持计时</translation>
    </message>
    <message>
        <source>Missed call</source>
        <translation>未接来电</translation>
    </message>
    <message>
        <source>Call back</source>
        <translation>回拨</translation>
    </message>
    <message>
        <source>Call back the missed caller</source>
        <translation>回拨未接来电</translation>
    </message>
    <message>
        <source>Answer</source>
        <translation>接听</translation>
    </message>
    <message>
        <source>Decline</source>
        <translation>拒接</translation>
    </message>
    <message>
        <source>Hold</source>
        <translation>保持</translation>
    </message>
    <message>
        <source>Mute</source>
        <translation>静音</translation>
    </message>
    <message>
        <source>Transfer</source>
        <translation>转接</translation>
    </message>
    <message>
        <source>Hang up</source>
        <translation>挂断</translation>
    </message>
    <message>
        <source>Agent state</source>
        <translation>坐席状态</translation>
    </message>
    <message>
        <source>Time in state</source>
        <translation>当前状态持续时间</translation>
    </message>
    <message>
        <source>Calls waiting</source>
        <translation>等待中的来电</translation>
    </message>
    <message>
        <source>Calls you handled since you signed in on this desk, and their average handle time (from answer to wrap-up Done)</source>
        <translation>您在本机登录以来处理的通话及其平均处理时长（从接听到完成话后处理）</translation>
    </message>
    <message>
        <source>Your calls since sign-in</source>
        <translation>您登录以来的通话</translation>
    </message>
    <message>
        <source>Waiting: %1</source>
        <translation>等待：%1</translation>
    </message>
    <message>
        <source>Unmute</source>
        <translation>取消静音</translation>
    </message>
    <message>
        <source>Calls: %1 · average %2</source>
        <translation>通话：%1 · 平均 %2</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>恢复</translation>
    </message>
    <message>
        <source>for %1</source>
        <translation>已持续 %1</translation>
    </message>
    <message>
        <source>No call</source>
        <translation>无通话</translation>
    </message>
    <message>
        <source>Withheld number</source>
        <translation>隐藏号码</translation>
    </message>
    <message>
        <source>Ringing %1</source>
        <translation>振铃 %1</translation>
    </message>
    <message>
        <source>Calling %1</source>
        <translation>呼叫中 %1</translation>
    </message>
    <message>
        <source>Talking %1</source>
        <translation>通话 %1</translation>
    </message>
    <message>
        <source>On hold %1</source>
        <translation>保持 %1</translation>
    </message>
    <message>
        <source>a withheld number</source>
        <translation>隐藏号码</translation>
    </message>
    <message>
        <source>Missed call from %1 at %2 — rang %3 s</source>
        <translation>%2 未接 %1 的来电 — 振铃 %3 秒</translation>
    </message>
</context>
<context>
    <name>CallPicker</name>
    <message>
        <source>Agent</source>
        <translation>坐席</translation>
    </message>
    <message>
        <source>Every agent</source>
        <translation>全部坐席</translation>
    </message>
    <message>
        <source>Queue</source>
        <translation>队列</translation>
    </message>
    <message>
        <source>Disposition</source>
        <translation>处理结果</translation>
    </message>
    <message>
        <source>From</source>
        <translation>起始日期</translation>
    </message>
    <message>
        <source>To</source>
        <translation>截止日期</translation>
    </message>
    <message>
        <source>Shortest talk time</source>
        <translation>最短通话时长</translation>
    </message>
    <message>
        <source>Longest talk time</source>
        <translation>最长通话时长</translation>
    </message>
    <message>
        <source>&amp;Find calls</source>
        <translation>查找通话(&amp;F)</translation>
    </message>
    <message>
        <source>Find calls by these filters</source>
        <translation>按这些条件查找通话</translation>
    </message>
    <message>
        <source>Week of</source>
        <translation>抽检周</translation>
    </message>
    <message>
        <source>Calls per agent</source>
        <translation>每位坐席抽取通话数</translation>
    </message>
    <message>
        <source>Sample seed</source>
        <translation>抽样种子</translation>
    </message>
    <message>
        <source>&amp;Random sample</source>
        <translation>随机抽检(&amp;R)</translation>
    </message>
    <message>
        <source>Draw a random sample per agent</source>
        <translation>按坐席随机抽取通话</translation>
    </message>
    <message>
        <source>Call</source>
        <translation>通话</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>开始时间</translation>
    </message>
    <message>
        <source>Talk (s)</source>
        <translation>通话时长(秒)</translation>
    </message>
    <message>
        <source>Evaluations</source>
        <translation>评分记录</translation>
    </message>
    <message>
        <source>Calls to score</source>
        <translation>待质检的通话</translation>
    </message>
    <message>
        <source>Filters</source>
        <translation>筛选条件</translation>
    </message>
    <message>
        <source>A&amp;gent:</source>
        <translation>坐席(&amp;G):</translation>
    </message>
    <message>
        <source>&amp;Queue:</source>
        <translation>队列(&amp;Q):</translation>
    </message>
    <message>
        <source>&amp;Dates:</source>
        <translation>日期(&amp;D):</translation>
    </message>
    <message>
        <source>D&amp;isposition:</source>
        <translation>处理结果(&amp;I):</translation>
    </message>
    <message>
        <source>&amp;Talk time:</source>
        <translation>通话时长(&amp;T):</translation>
    </message>
    <message>
        <source>Random sample</source>
        <translation>随机抽检</translation>
    </message>
    <message>
        <source>&amp;Week of:</source>
        <translation>抽检周(&amp;W):</translation>
    </message>
    <message>
        <source>Calls &amp;per agent:</source>
        <translation>每位坐席抽取(&amp;P):</translation>
    </message>
    <message>
        <source>S&amp;eed:</source>
        <translation>种子(&amp;E):</translation>
    </message>
    <message>
        <source> s</source>
        <translation> 秒</translation>
    </message>
    <message>
        <source>any</source>
        <translation>不限</translation>
    </message>
</context>
<context>
    <name>CallbacksPanel</name>
    <message>
        <source>Due today and overdue</source>
        <translation>今日到期及逾期</translation>
    </message>
    <message>
        <source>All open</source>
        <translation>全部未完成</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>Search callbacks</source>
        <translation>搜索回访</translation>
    </message>
    <message>
        <source>Search customer, number, ticket, campaign</source>
        <translation>搜索客户、号码、工单、外呼活动</translation>
    </message>
    <message>
        <source>Callbacks</source>
        <translation>回访</translation>
    </message>
    <message>
        <source>Pick a callback or campaign call in the list.</source>
        <translation>请在列表中选择一个回访或外呼任务。</translation>
    </message>
    <message>
        <source>Call</source>
        <translation>呼叫</translation>
    </message>
    <message>
        <source>Dial the customer&apos;s number</source>
        <translation>拨打客户号码</translation>
    </message>
    <message>
        <source>Open the callback&apos;s ticket</source>
        <translation>打开回访对应的工单</translation>
    </message>
    <message>
        <source>Script</source>
        <translation>话术</translation>
    </message>
    <message>
        <source>What the customer said</source>
        <translation>客户的反馈</translation>
    </message>
    <message>
        <source>Co&amp;mments:</source>
        <translation>备注(&amp;M)：</translation>
    </message>
    <message>
        <source>Close the ticket with this outcome</source>
        <translation>以此结果关闭工单</translation>
    </message>
    <message>
        <source>Save outcome</source>
        <translation>保存结果</translation>
    </message>
    <message>
        <source>How did the call go?</source>
        <translation>通话结果</translation>
    </message>
    <message>
        <source>&amp;Reached the customer</source>
        <translation>已联系上客户(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;No answer</source>
        <translation>无人接听(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Wrong number</source>
        <translation>号码错误(&amp;W)</translation>
    </message>
    <message>
        <source>Call &amp;back at:</source>
        <translation>回电时间(&amp;B)：</translation>
    </message>
    <message>
        <source>pick a time</source>
        <translation>选择时间</translation>
    </message>
    <message>
        <source>Satisfaction</source>
        <translation>满意度</translation>
    </message>
    <message>
        <source>1 = very unhappy</source>
        <translation>1 = 非常不满意</translation>
    </message>
    <message>
        <source>5 = very happy</source>
        <translation>5 = 非常满意</translation>
    </message>
    <message>
        <source>Campaign outcome</source>
        <translation>外呼活动结果</translation>
    </message>
    <message>
        <source>%1 shown</source>
        <translation>显示 %1 条</translation>
    </message>
    <message>
        <source>%1 overdue</source>
        <translation>逾期 %1 条</translation>
    </message>
    <message>
        <source>(no name)</source>
        <translation>（无姓名）</translation>
    </message>
    <message>
        <source>%1 · overdue since %2</source>
        <translation>%1 · 自 %2 起逾期</translation>
    </message>
    <message>
        <source>%1 · due %2</source>
        <translation>%1 · %2 到期</translation>
    </message>
    <message>
        <source>Ticket %1</source>
        <translation>工单 %1</translation>
    </message>
    <message>
        <source>Notes: %1</source>
        <translation>备注：%1</translation>
    </message>
    <message>
        <source>%1 · %2 of %3 tries made</source>
        <translation>%1 · 已尝试 %2/%3 次</translation>
    </message>
    <message>
        <source>reached</source>
        <translation>已联系上</translation>
    </message>
    <message>
        <source>no answer</source>
        <translation>无人接听</translation>
    </message>
    <message>
        <source>wrong number</source>
        <translation>号码错误</translation>
    </message>
    <message>
        <source>asked to be called back</source>
        <translation>要求稍后回电</translation>
    </message>
    <message>
        <source>Last call: %1</source>
        <translation>上次呼叫：%1</translation>
    </message>
    <message>
        <source>satisfaction %1/5</source>
        <translation>满意度 %1/5</translation>
    </message>
    <message>
        <source>Close ticket %1 (the customer is satisfied)</source>
        <translation>关闭工单 %1（客户满意）</translation>
    </message>
    <message>
        <source>Say how the call went.</source>
        <translation>请选择通话结果。</translation>
    </message>
    <message>
        <source>Say when to call back.</source>
        <translation>请填写回电时间。</translation>
    </message>
    <message>
        <source>That time has already passed.</source>
        <translation>该时间已过。</translation>
    </message>
    <message>
        <source>A survey needs the customer&apos;s score (1 to 5).</source>
        <translation>满意度调查需要客户评分（1 到 5）。</translation>
    </message>
    <message>
        <source>Pick the campaign outcome for this call.</source>
        <translation>请选择本次呼叫的外呼活动结果。</translation>
    </message>
    <message>
        <source>At most %1 characters (now %2).</source>
        <translation>最多 %1 个字符（当前 %2 个）。</translation>
    </message>
    <message>
        <source>Saved. Next call at %1.</source>
        <translation>已保存。下次呼叫时间：%1。</translation>
    </message>
    <message>
        <source>Saved: %1.</source>
        <translation>已保存：%1。</translation>
    </message>
    <message>
        <source>The ticket is closed.</source>
        <translation>工单已关闭。</translation>
    </message>
    <message>
        <source>It syncs when online.</source>
        <translation>联网后同步。</translation>
    </message>
</context>
<context>
    <name>CentreAdmin</name>
    <message>
        <source>Someone else changed this meanwhile. It was read again: make your change again.</source>
        <translation>其他人已同时修改了此项。已重新读取，请重新修改。</translation>
    </message>
    <message>
        <source>The server refused or did not answer: %1</source>
        <translation>服务器拒绝或未响应：%1</translation>
    </message>
    <message>
        <source>Something went wrong on this desk; it is in the log.</source>
        <translation>本桌面出现错误，详情已记入日志。</translation>
    </message>
    <message>
        <source>Queue saved.</source>
        <translation>队列已保存。</translation>
    </message>
    <message>
        <source>Codes saved. Signed-in desks use them now.</source>
        <translation>代码已保存，已登录的桌面即刻生效。</translation>
    </message>
    <message>
        <source>Team policy saved.</source>
        <translation>团队策略已保存。</translation>
    </message>
    <message>
        <source>Skill saved.</source>
        <translation>技能已保存。</translation>
    </message>
    <message>
        <source>Skills saved.</source>
        <translation>技能已保存。</translation>
    </message>
</context>
<context>
    <name>CodesPage</name>
    <message>
        <source>Which codes</source>
        <translation>代码类别</translation>
    </message>
    <message>
        <source>Not ready reasons</source>
        <translation>未就绪原因</translation>
    </message>
    <message>
        <source>Wrap-up dispositions</source>
        <translation>话后处理结果</translation>
    </message>
    <message>
        <source>Ticket categories</source>
        <translation>工单分类</translation>
    </message>
    <message>
        <source>Codes</source>
        <translation>代码</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>代码</translation>
    </message>
    <message>
        <source>English</source>
        <translation>英文</translation>
    </message>
    <message>
        <source>Chinese</source>
        <translation>中文</translation>
    </message>
    <message>
        <source>&amp;Add</source>
        <translation>添加(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation>删除(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>保存(&amp;S)</translation>
    </message>
    <message>
        <source>Not saved, %1: %2</source>
        <translation>未保存，%1：%2</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
</context>
<context>
    <name>ColoursMenu</name>
    <message>
        <source>&amp;Colours</source>
        <translation>颜色(&amp;C)</translation>
    </message>
    <message>
        <source>Follow &amp;system</source>
        <translation>跟随系统(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Light</source>
        <translation>浅色(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Dark</source>
        <translation>深色(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;High contrast</source>
        <translation>高对比度(&amp;H)</translation>
    </message>
</context>
<context>
    <name>CompactCallBar</name>
    <message>
        <source>Compact call bar</source>
        <translation>精简通话条</translation>
    </message>
    <message>
        <source>Show the main window</source>
        <translation>显示主窗口</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>号码</translation>
    </message>
    <message>
        <source>Call timer</source>
        <translation>通话计时</translation>
    </message>
    <message>
        <source>Hold timer</source>
        <translation>保持计时</translation>
    </message>
    <message>
        <source>Agent state</source>
        <translation>坐席状态</translation>
    </message>
    <message>
        <source>Time in state</source>
        <translation>当前状态持续时间</translation>
    </message>
    <message>
        <source>Recording</source>
        <translation>录音</translation>
    </message>
    <message>
        <source>Caller: %1 (show the main window)</source>
        <translation>来电者：%1（显示主窗口）</translation>
    </message>
</context>
<context>
    <name>Config</name>
    <message>
        <source>Configuration file ignored: %1</source>
        <translation>已忽略配置文件：%1</translation>
    </message>
</context>
<context>
    <name>ConflictDialog</name>
    <message>
        <source>Settle a conflict</source>
        <translation>解决冲突</translation>
    </message>
    <message>
        <source>%1 was deleted on the server while you were changing it here. Your changes cannot be sent.</source>
        <translation>您在本机修改%1时，它已在服务器上被删除。您的修改无法发送。</translation>
    </message>
    <message>
        <source>Accept the deletion</source>
        <translation>接受删除</translation>
    </message>
    <message>
        <source>Someone else changed %1 while you were changing it here. For each field, choose the value to keep (or edit the text). Their changes to other fields are kept.</source>
        <translation>您在本机修改%1时，其他人也修改了它。请为每个字段选择要保留的值（或编辑文字）。对方对其他字段的修改会保留。</translation>
    </message>
    <message>
        <source>Keep these values</source>
        <translation>保留这些值</translation>
    </message>
    <message>
        <source>Decide later</source>
        <translation>稍后决定</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <source>Yours</source>
        <translation>您的</translation>
    </message>
    <message>
        <source>Theirs</source>
        <translation>对方的</translation>
    </message>
    <message>
        <source>Keep</source>
        <translation>保留</translation>
    </message>
</context>
<context>
    <name>CustomerPanel</name>
    <message>
        <source>Search: name, customer code, serial number, ticket number, phone</source>
        <translation>搜索：名称、客户编号、序列号、工单号、电话</translation>
    </message>
    <message>
        <source>When a call rings, the caller appears here before you say hello: profile, products and warranty, open tickets, dispatches and past interactions.</source>
        <translation>来电振铃时，在您开口之前，来电客户就会显示在这里：客户资料、产品与保修、未结工单、派工和历史联络记录。</translation>
    </message>
    <message>
        <source>New ticket…</source>
        <translation>新建工单…</translation>
    </message>
    <message>
        <source>Register a service request for this customer</source>
        <translation>为此客户登记服务请求</translation>
    </message>
    <message>
        <source>New customer…</source>
        <translation>新建客户…</translation>
    </message>
    <message>
        <source>Verified</source>
        <translation>已核实</translation>
    </message>
    <message>
        <source>Contact</source>
        <translation>联系人</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Email</source>
        <translation>邮箱</translation>
    </message>
    <message>
        <source>Address verified</source>
        <translation>地址已核实</translation>
    </message>
    <message>
        <source>Edit profile…</source>
        <translation>编辑资料…</translation>
    </message>
    <message>
        <source>Correct the profile while the customer is on the line (works offline)</source>
        <translation>在客户通话时修改资料（离线也可用）</translation>
    </message>
    <message>
        <source>Profile</source>
        <translation>资料</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>型号</translation>
    </message>
    <message>
        <source>Serial number</source>
        <translation>序列号</translation>
    </message>
    <message>
        <source>Warranty</source>
        <translation>保修</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>到期</translation>
    </message>
    <message>
        <source>Products</source>
        <translation>产品</translation>
    </message>
    <message>
        <source>Search customers</source>
        <translation>搜索客户</translation>
    </message>
    <message>
        <source>Customers with the caller&apos;s number</source>
        <translation>使用来电号码的客户</translation>
    </message>
    <message>
        <source>Customers found</source>
        <translation>找到的客户</translation>
    </message>
    <message>
        <source>Contacts</source>
        <translation>联系人</translation>
    </message>
    <message>
        <source>Phone number verified</source>
        <translation>电话号码已核实</translation>
    </message>
    <message>
        <source>Serial number verified</source>
        <translation>序列号已核实</translation>
    </message>
    <message>
        <source>Open work</source>
        <translation>未结事项</translation>
    </message>
    <message>
        <source>Everything</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>Calls and messages</source>
        <translation>通话与消息</translation>
    </message>
    <message>
        <source>Tickets</source>
        <translation>工单</translation>
    </message>
    <message>
        <source>Dispatches</source>
        <translation>派工</translation>
    </message>
    <message>
        <source>Callbacks and surveys</source>
        <translation>回访与调查</translation>
    </message>
    <message>
        <source>Contact history</source>
        <translation>联系记录</translation>
    </message>
    <message>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>What</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>详情</translation>
    </message>
    <message>
        <source>History</source>
        <translation>历史</translation>
    </message>
    <message>
        <source>Next actions</source>
        <translation>建议操作</translation>
    </message>
    <message>
        <source>Wrap-up notes</source>
        <translation>话后小结备注</translation>
    </message>
    <message>
        <source>Notes on this call</source>
        <translation>本次通话备注</translation>
    </message>
    <message>
        <source>+30 s</source>
        <translation>+30 秒</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>Several customers have this number</source>
        <translation>此号码对应多个客户</translation>
    </message>
    <message>
        <source>Ask who is calling, then pick: %1</source>
        <translation>请询问来电者身份，然后选择：%1</translation>
    </message>
    <message>
        <source>Number withheld</source>
        <translation>号码未显示</translation>
    </message>
    <message>
        <source>Ask for the customer&apos;s name or customer code.</source>
        <translation>请询问客户姓名或客户编号。</translation>
    </message>
    <message>
        <source>Unknown caller</source>
        <translation>未知来电</translation>
    </message>
    <message>
        <source>%1 is not a phone number we can look up.</source>
        <translation>%1 不是可查询的电话号码。</translation>
    </message>
    <message>
        <source>No customer has %1 on file.</source>
        <translation>没有客户登记过 %1。</translation>
    </message>
    <message>
        <source> The server could not be asked (offline).</source>
        <translation> 无法查询服务器（离线）。</translation>
    </message>
    <message>
        <source>Create a new customer, or search for them by name, customer code, serial number or ticket number.</source>
        <translation>新建客户，或按名称、客户编号、序列号或工单号搜索。</translation>
    </message>
    <message>
        <source>Nothing found for “%1”.</source>
        <translation>未找到“%1”。</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>搜索</translation>
    </message>
    <message>
        <source>Pick a customer to open.</source>
        <translation>请选择要打开的客户。</translation>
    </message>
    <message>
        <source> · changes waiting to sync</source>
        <translation> · 有修改待同步</translation>
    </message>
    <message>
        <source>Customer flags: %1</source>
        <translation>客户标记：%1</translation>
    </message>
    <message>
        <source>No customer flags</source>
        <translation>无客户标记</translation>
    </message>
    <message>
        <source>VIP</source>
        <translation>VIP</translation>
    </message>
    <message>
        <source>Open complaint %1</source>
        <translation>未结投诉 %1</translation>
    </message>
    <message>
        <source>Warranty expired: %1</source>
        <translation>已过保：%1</translation>
    </message>
    <message numerus="yes">
        <source>Called %n time(s) in 7 days</source>
        <translation>
            <numerusform>7 天内来电 %n 次</numerusform>
        </translation>
    </message>
    <message>
        <source>This is the number calling</source>
        <translation>即来电号码</translation>
    </message>
    <message>
        <source>Double-click to call</source>
        <translation>双击拨打</translation>
    </message>
    <message>
        <source>Address: %1</source>
        <translation>地址：%1</translation>
    </message>
    <message>
        <source>Notes: %1</source>
        <translation>备注：%1</translation>
    </message>
    <message>
        <source>until %1</source>
        <translation>至 %1</translation>
    </message>
    <message>
        <source>expired %1</source>
        <translation>%1 已过期</translation>
    </message>
    <message>
        <source>SLA %1</source>
        <translation>时限 %1</translation>
    </message>
    <message>
        <source>▶ Play recording</source>
        <translation>▶ 播放录音</translation>
    </message>
    <message>
        <source>Play the selected call&apos;s recording</source>
        <translation>播放所选通话的录音</translation>
    </message>
    <message>
        <source>SLA breached: %1 · %2</source>
        <translation>已超时限：%1 · %2</translation>
    </message>
    <message>
        <source>SLA due: %1 · %2</source>
        <translation>时限即将到期：%1 · %2</translation>
    </message>
    <message>
        <source>new</source>
        <translation>新建</translation>
    </message>
    <message>
        <source>in progress</source>
        <translation>处理中</translation>
    </message>
    <message>
        <source>waiting on the customer</source>
        <translation>等待客户</translation>
    </message>
    <message>
        <source>escalated</source>
        <translation>已升级</translation>
    </message>
    <message>
        <source>Dispatch %1 · %2 · %3</source>
        <translation>派工 %1 · %2 · %3</translation>
    </message>
    <message>
        <source>No open tickets or dispatches.</source>
        <translation>没有未结工单或派工。</translation>
    </message>
    <message>
        <source>Call in</source>
        <translation>呼入</translation>
    </message>
    <message>
        <source>Call out</source>
        <translation>呼出</translation>
    </message>
    <message>
        <source>Web</source>
        <translation>网页</translation>
    </message>
    <message>
        <source>SMS</source>
        <translation>短信</translation>
    </message>
    <message>
        <source>Callback</source>
        <translation>回电</translation>
    </message>
    <message>
        <source>Survey</source>
        <translation>调查</translation>
    </message>
    <message>
        <source>Follow-up call</source>
        <translation>回访电话</translation>
    </message>
    <message>
        <source>Ticket</source>
        <translation>工单</translation>
    </message>
    <message>
        <source>Dispatch</source>
        <translation>派工</translation>
    </message>
    <message>
        <source>Portal request</source>
        <translation>网站登记</translation>
    </message>
    <message>
        <source>Recorded: select it and press ▶ Play recording</source>
        <translation>有录音：选中后点击“▶ 播放录音”</translation>
    </message>
    <message>
        <source>Double-click to call %1</source>
        <translation>双击拨打 %1</translation>
    </message>
    <message>
        <source>name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>phone number</source>
        <translation>电话号码</translation>
    </message>
    <message>
        <source>address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>serial number</source>
        <translation>序列号</translation>
    </message>
    <message>
        <source>Verified: %1</source>
        <translation>已核实：%1</translation>
    </message>
    <message>
        <source>Give an update on ticket %1</source>
        <translation>告知工单 %1 的进展</translation>
    </message>
    <message>
        <source>Offer a reorder: %1</source>
        <translation>建议续购：%1</translation>
    </message>
    <message>
        <source>Ask the pending satisfaction survey</source>
        <translation>进行待办的满意度调查</translation>
    </message>
    <message>
        <source>A callback is pending: %1</source>
        <translation>有待回电：%1</translation>
    </message>
    <message>
        <source>Offer a warranty extension: %1</source>
        <translation>建议延保：%1</translation>
    </message>
    <message>
        <source>Verify the caller first: tick %1 on the profile.</source>
        <translation>请先核实来电者身份：在资料页勾选%1。</translation>
    </message>
    <message>
        <source>the caller&apos;s name (a contact&apos;s tick)</source>
        <translation>来电者姓名（勾选联系人）</translation>
    </message>
    <message>
        <source>Choose a disposition…</source>
        <translation>选择小结…</translation>
    </message>
    <message>
        <source>Wrap-up: %1 left</source>
        <translation>话后处理：剩余 %1</translation>
    </message>
    <message>
        <source>Choose a disposition for this call.</source>
        <translation>请为本次通话选择小结。</translation>
    </message>
    <message>
        <source>The notes are too long (%1 characters; at most 4000).</source>
        <translation>备注过长（%1 个字符；最多 4000）。</translation>
    </message>
</context>
<context>
    <name>DayView</name>
    <message>
        <source>Engineer</source>
        <translation>工程师</translation>
    </message>
    <message>
        <source>Day shown</source>
        <translation>显示日期</translation>
    </message>
    <message>
        <source>Previous day</source>
        <translation>前一天</translation>
    </message>
    <message>
        <source>Next day</source>
        <translation>后一天</translation>
    </message>
    <message>
        <source>Engineer&apos;s day</source>
        <translation>工程师日程</translation>
    </message>
    <message>
        <source>No field engineer to show.</source>
        <translation>没有可显示的现场工程师。</translation>
    </message>
    <message>
        <source>No visits that day.</source>
        <translation>当天无服务安排。</translation>
    </message>
    <message>
        <source>1 visit that day.</source>
        <translation>当天 1 项服务安排。</translation>
    </message>
    <message>
        <source>%1 visits that day.</source>
        <translation>当天 %1 项服务安排。</translation>
    </message>
</context>
<context>
    <name>DeskCode</name>
    <message>
        <source>Just signed in</source>
        <translation>刚登录</translation>
    </message>
    <message>
        <source>Break</source>
        <translation>休息</translation>
    </message>
    <message>
        <source>Lunch</source>
        <translation>用餐</translation>
    </message>
    <message>
        <source>Meeting</source>
        <translation>会议</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>培训</translation>
    </message>
    <message>
        <source>Callback work</source>
        <translation>回访工作</translation>
    </message>
    <message>
        <source>Missed call</source>
        <translation>未接来电</translation>
    </message>
    <message>
        <source>Resolved on the call</source>
        <translation>电话中已解决</translation>
    </message>
    <message>
        <source>Ticket created / updated</source>
        <translation>已建/更新工单</translation>
    </message>
    <message>
        <source>Field dispatch arranged</source>
        <translation>已安排上门</translation>
    </message>
    <message>
        <source>Callback promised</source>
        <translation>已约定回电</translation>
    </message>
    <message>
        <source>Information only</source>
        <translation>仅咨询</translation>
    </message>
    <message>
        <source>Complaint recorded</source>
        <translation>已记录投诉</translation>
    </message>
    <message>
        <source>Wrong number / silent</source>
        <translation>打错/无声</translation>
    </message>
    <message>
        <source>No answer (outbound)</source>
        <translation>无人接听（外呼）</translation>
    </message>
    <message>
        <source>Wrap-up timed out</source>
        <translation>整理超时</translation>
    </message>
    <message>
        <source>Ended by sign-out</source>
        <translation>因签出结束</translation>
    </message>
    <message>
        <source>Fault</source>
        <translation>故障</translation>
    </message>
    <message>
        <source>Will not power on</source>
        <translation>无法开机</translation>
    </message>
    <message>
        <source>Alarm or error code</source>
        <translation>报警/错误代码</translation>
    </message>
    <message>
        <source>Display</source>
        <translation>显示异常</translation>
    </message>
    <message>
        <source>Wrong or lost readings</source>
        <translation>读数异常</translation>
    </message>
    <message>
        <source>Leak</source>
        <translation>漏液</translation>
    </message>
    <message>
        <source>Paper jam or feed</source>
        <translation>卡纸/进纸</translation>
    </message>
    <message>
        <source>Print quality</source>
        <translation>打印质量</translation>
    </message>
    <message>
        <source>Network or connection</source>
        <translation>网络/连接</translation>
    </message>
    <message>
        <source>Maintenance</source>
        <translation>维护保养</translation>
    </message>
    <message>
        <source>Preventive maintenance</source>
        <translation>预防性维护</translation>
    </message>
    <message>
        <source>Calibration</source>
        <translation>校准</translation>
    </message>
    <message>
        <source>Consumables</source>
        <translation>耗材</translation>
    </message>
    <message>
        <source>Order or quote</source>
        <translation>订购/报价</translation>
    </message>
    <message>
        <source>Consultation</source>
        <translation>咨询</translation>
    </message>
    <message>
        <source>How to use</source>
        <translation>使用方法</translation>
    </message>
    <message>
        <source>Warranty and contract</source>
        <translation>保修与合同</translation>
    </message>
    <message>
        <source>Complaint</source>
        <translation>投诉</translation>
    </message>
    <message>
        <source>Service (late, rude, no-show)</source>
        <translation>服务投诉</translation>
    </message>
    <message>
        <source>Product quality</source>
        <translation>质量投诉</translation>
    </message>
</context>
<context>
    <name>DirectoryDialog</name>
    <message>
        <source>Colleague directory</source>
        <translation>同事通讯录</translation>
    </message>
    <message>
        <source>Search colleagues</source>
        <translation>搜索同事</translation>
    </message>
    <message>
        <source>Search by name, extension or skill</source>
        <translation>按姓名、分机号或技能搜索</translation>
    </message>
    <message>
        <source>Note for your colleague: it arrives with the call</source>
        <translation>给同事的备注：随通话一同送达</translation>
    </message>
    <message>
        <source>&amp;Consult</source>
        <translation>咨询(&amp;C)</translation>
    </message>
    <message>
        <source>Hold the caller and ring the colleague first (Enter)</source>
        <translation>先将来电保持，再呼叫同事（回车）</translation>
    </message>
    <message>
        <source>&amp;Blind transfer</source>
        <translation>直接转接(&amp;B)</translation>
    </message>
    <message>
        <source>Send the caller straight there (Ctrl+Enter)</source>
        <translation>将来电直接转过去（Ctrl+回车）</translation>
    </message>
    <message>
        <source>Co&amp;mplete transfer</source>
        <translation>完成转接(&amp;M)</translation>
    </message>
    <message>
        <source>Co&amp;lleagues</source>
        <translation>同事(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Queues</source>
        <translation>队列(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Other extensions</source>
        <translation>其他分机(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Note</source>
        <translation>备注(&amp;N)</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <source>On a call</source>
        <translation>通话中</translation>
    </message>
    <message>
        <source>Wrap-up</source>
        <translation>话后处理</translation>
    </message>
    <message>
        <source>Not ready</source>
        <translation>未就绪</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <source>Idle</source>
        <translation>空闲</translation>
    </message>
    <message>
        <source>Ringing</source>
        <translation>振铃中</translation>
    </message>
    <message>
        <source>Line state unknown</source>
        <translation>线路状态未知</translation>
    </message>
    <message>
        <source>Presence not available</source>
        <translation>无法获取状态</translation>
    </message>
    <message>
        <source>ext. %1</source>
        <translation>分机 %1</translation>
    </message>
    <message>
        <source>The phone system does not report this extension&apos;s line (SIP %1). You can still call or transfer to it.</source>
        <translation>电话系统不提供该分机的线路状态（SIP %1）。仍可呼叫或转接到该分机。</translation>
    </message>
    <message>
        <source>No extension, and not signed in: cannot be called</source>
        <translation>没有分机号，也未登录：无法呼叫</translation>
    </message>
    <message numerus="yes">
        <source>%n waiting</source>
        <translation>
            <numerusform>%n 位等待中</numerusform>
        </translation>
    </message>
    <message>
        <source>Loading the directory…</source>
        <translation>正在加载通讯录…</translation>
    </message>
    <message>
        <source>The directory needs the server: sign in first.</source>
        <translation>通讯录需要连接服务器：请先登录。</translation>
    </message>
</context>
<context>
    <name>DirectoryService</name>
    <message>
        <source>The colleague directory could not be loaded: %1</source>
        <translation>无法加载同事通讯录：%1</translation>
    </message>
    <message>
        <source>There is no call to transfer.</source>
        <translation>当前没有可转接的通话。</translation>
    </message>
    <message>
        <source>%1 cannot be called: no extension and not signed in.</source>
        <translation>无法呼叫%1：没有分机号，也未登录。</translation>
    </message>
    <message>
        <source>The consultation could not start: %1</source>
        <translation>无法发起咨询：%1</translation>
    </message>
    <message>
        <source>Consulting %1: the caller is on hold. Complete the transfer once they agree.</source>
        <translation>正在咨询%1：来电已保持。对方同意后请完成转接。</translation>
    </message>
    <message>
        <source>No consultation is under way.</source>
        <translation>当前没有进行中的咨询。</translation>
    </message>
    <message>
        <source>The transfer failed: %1</source>
        <translation>转接失败：%1</translation>
    </message>
    <message>
        <source>Transferring the caller to %1.</source>
        <translation>正在将来电转接给%1。</translation>
    </message>
</context>
<context>
    <name>Dispatch</name>
    <message>
        <source>On-site</source>
        <translation>上门</translation>
    </message>
    <message>
        <source>Remote</source>
        <translation>远程</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>resolved</source>
        <translation>已解决</translation>
    </message>
    <message>
        <source>partly resolved</source>
        <translation>部分解决</translation>
    </message>
    <message>
        <source>not resolved</source>
        <translation>未解决</translation>
    </message>
    <message>
        <source>Planned</source>
        <translation>已安排</translation>
    </message>
    <message>
        <source>En route</source>
        <translation>在途</translation>
    </message>
    <message>
        <source>On site</source>
        <translation>已到场</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <source>Synced</source>
        <translation>已同步</translation>
    </message>
    <message>
        <source>Waiting to sync</source>
        <translation>待同步</translation>
    </message>
    <message>
        <source>Conflict</source>
        <translation>冲突</translation>
    </message>
    <message>
        <source>Not accepted</source>
        <translation>未被接受</translation>
    </message>
</context>
<context>
    <name>DispatchForm</name>
    <message>
        <source>Re-dispatch</source>
        <translation>重新派工</translation>
    </message>
    <message>
        <source>New dispatch</source>
        <translation>新建派工</translation>
    </message>
    <message>
        <source>Save dispatch</source>
        <translation>保存派工</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Loading the ticket…</source>
        <translation>正在加载工单…</translation>
    </message>
    <message>
        <source>e.g. 138 0013 8000 or 010-6529 5114</source>
        <translation>例如 138 0013 8000 或 010-6529 5114</translation>
    </message>
    <message>
        <source>What the engineer should know: the fault, parts to bring, access.</source>
        <translation>工程师须知：故障情况、需带备件、现场出入方式。</translation>
    </message>
    <message>
        <source>Skill:</source>
        <translation>技能：</translation>
    </message>
    <message>
        <source>Region:</source>
        <translation>区域：</translation>
    </message>
    <message>
        <source>until</source>
        <translation>至</translation>
    </message>
    <message>
        <source>&amp;Engineer:</source>
        <translation>工程师(&amp;E)：</translation>
    </message>
    <message>
        <source>&amp;When:</source>
        <translation>时间(&amp;W)：</translation>
    </message>
    <message>
        <source>&amp;Method:</source>
        <translation>方式(&amp;M)：</translation>
    </message>
    <message>
        <source>&amp;Address:</source>
        <translation>地址(&amp;A)：</translation>
    </message>
    <message>
        <source>&amp;Contact:</source>
        <translation>联系人(&amp;C)：</translation>
    </message>
    <message>
        <source>&amp;Phone:</source>
        <translation>电话(&amp;P)：</translation>
    </message>
    <message>
        <source>&amp;Notes:</source>
        <translation>备注(&amp;N)：</translation>
    </message>
    <message>
        <source>This ticket is not in the local cache.</source>
        <translation>本地缓存中没有此工单。</translation>
    </message>
    <message>
        <source>Open the ticket again once it has synced.</source>
        <translation>请在同步完成后重新打开此工单。</translation>
    </message>
    <message>
        <source>%1 · %2 · %3</source>
        <translation>%1 · %2 · %3</translation>
    </message>
    <message>
        <source>Any skill</source>
        <translation>不限技能</translation>
    </message>
    <message>
        <source>Any region</source>
        <translation>不限区域</translation>
    </message>
    <message>
        <source>Follows the visit of %1 by %2 (%3).</source>
        <translation>接续 %2 于 %1 的服务（%3）。</translation>
    </message>
    <message>
        <source>Cause: %1</source>
        <translation>原因：%1</translation>
    </message>
    <message>
        <source>The earlier visit belongs to another ticket.</source>
        <translation>之前的服务属于另一张工单。</translation>
    </message>
    <message>
        <source>The earlier visit is still open: take its report first.</source>
        <translation>之前的服务尚未完结：请先登记其服务报告。</translation>
    </message>
    <message>
        <source>You may not create dispatches.</source>
        <translation>您无权创建派工。</translation>
    </message>
    <message>
        <source>No engineer with this skill in this region. Widen the filters.</source>
        <translation>该区域没有具备此技能的工程师。请放宽筛选条件。</translation>
    </message>
    <message>
        <source>no visits that day</source>
        <translation>当天无安排</translation>
    </message>
    <message>
        <source>1 visit that day</source>
        <translation>当天 1 项安排</translation>
    </message>
    <message>
        <source>%1 visits that day</source>
        <translation>当天 %1 项安排</translation>
    </message>
    <message>
        <source>level %1</source>
        <translation>等级 %1</translation>
    </message>
    <message>
        <source>Too long: %1 characters, at most %2.</source>
        <translation>过长：%1 个字符，最多 %2 个。</translation>
    </message>
    <message>
        <source>Choose the field engineer.</source>
        <translation>请选择现场工程师。</translation>
    </message>
    <message>
        <source>The visit must end after it starts.</source>
        <translation>结束时间必须晚于开始时间。</translation>
    </message>
    <message>
        <source>An on-site visit needs the address.</source>
        <translation>上门服务必须填写地址。</translation>
    </message>
    <message>
        <source>Enter a number the engineer can call.</source>
        <translation>请输入工程师可拨打的号码。</translation>
    </message>
    <message>
        <source>“%1” is not a phone number we can dial.</source>
        <translation>“%1”不是可拨打的电话号码。</translation>
    </message>
    <message>
        <source>Not saved: %1</source>
        <translation>未保存：%1</translation>
    </message>
</context>
<context>
    <name>DispatchPanel</name>
    <message>
        <source>Field dispatch</source>
        <translation>现场派工</translation>
    </message>
    <message>
        <source>Search dispatches</source>
        <translation>搜索派工</translation>
    </message>
    <message>
        <source>Search ticket, customer, engineer, address</source>
        <translation>搜索工单、客户、工程师、地址</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>未完成</translation>
    </message>
    <message>
        <source>Finished</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>Dispatches</source>
        <translation>派工</translation>
    </message>
    <message>
        <source>Loading dispatches…</source>
        <translation>正在加载派工…</translation>
    </message>
    <message>
        <source>New dispatch</source>
        <translation>新建派工</translation>
    </message>
    <message>
        <source>Report visit…</source>
        <translation>填写服务报告…</translation>
    </message>
    <message>
        <source>Re-dispatch…</source>
        <translation>重新派工…</translation>
    </message>
    <message>
        <source>Open ticket</source>
        <translation>打开工单</translation>
    </message>
    <message>
        <source>Call contact</source>
        <translation>呼叫联系人</translation>
    </message>
    <message>
        <source>No open dispatches. “Finished” shows past visits.</source>
        <translation>没有未完成的派工。在“已完成”中可查看以往服务。</translation>
    </message>
    <message>
        <source>No dispatch matches.</source>
        <translation>没有匹配的派工。</translation>
    </message>
    <message>
        <source>No dispatches yet. Create one from a ticket that needs a visit.</source>
        <translation>尚无派工。请从需要上门服务的工单创建派工。</translation>
    </message>
    <message>
        <source>A new visit for ticket %1</source>
        <translation>为工单 %1 新建派工</translation>
    </message>
    <message>
        <source>Open a ticket first: a dispatch is created from its ticket.</source>
        <translation>请先打开工单：派工需从工单创建。</translation>
    </message>
</context>
<context>
    <name>DispatchTableModel</name>
    <message>
        <source>Ticket</source>
        <translation>工单</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Engineer</source>
        <translation>工程师</translation>
    </message>
    <message>
        <source>Window</source>
        <translation>时段</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>方式</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Sync</source>
        <translation>同步</translation>
    </message>
    <message>
        <source>Re-dispatch after visit #%1</source>
        <translation>服务 #%1 后重新派工</translation>
    </message>
</context>
<context>
    <name>DrillDialog</name>
    <message>
        <source>Inbound call</source>
        <translation>呼入电话</translation>
    </message>
    <message>
        <source>Outbound call</source>
        <translation>呼出电话</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>邮件</translation>
    </message>
    <message>
        <source>Web</source>
        <translation>网页</translation>
    </message>
    <message>
        <source>SMS</source>
        <translation>短信</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>开始时间</translation>
    </message>
    <message>
        <source>Agent</source>
        <translation>坐席</translation>
    </message>
    <message>
        <source>Queue</source>
        <translation>队列</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>渠道</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Wait</source>
        <translation>等待</translation>
    </message>
    <message>
        <source>Talk</source>
        <translation>通话</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Ticket</source>
        <translation>工单</translation>
    </message>
    <message>
        <source>Opened</source>
        <translation>新建</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>摘要</translation>
    </message>
    <message>
        <source>Calls behind the number</source>
        <translation>该数字对应的通话</translation>
    </message>
    <message>
        <source>Tickets behind the number</source>
        <translation>该数字对应的工单</translation>
    </message>
    <message>
        <source>Show &amp;more</source>
        <translation>显示更多(&amp;M)</translation>
    </message>
    <message>
        <source>Calls (%1)</source>
        <translation>通话（%1）</translation>
    </message>
    <message>
        <source>Tickets (%1)</source>
        <translation>工单（%1）</translation>
    </message>
    <message>
        <source>%1 of %2 listed.</source>
        <translation>已列出 %1 条，共 %2 条。</translation>
    </message>
    <message>
        <source>Double-click a ticket to open it.</source>
        <translation>双击工单即可打开。</translation>
    </message>
    <message>
        <source>The server lists no records behind this number.</source>
        <translation>服务器没有列出该数字对应的记录。</translation>
    </message>
</context>
<context>
    <name>Duration</name>
    <message>
        <source>%1 d %2 h</source>
        <translation>%1 天 %2 小时</translation>
    </message>
    <message>
        <source>%1 d</source>
        <translation>%1 天</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 小时 %2 分钟</translation>
    </message>
    <message>
        <source>%1 h</source>
        <translation>%1 小时</translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation>%1 分钟</translation>
    </message>
    <message>
        <source>overdue %1</source>
        <translation>超时 %1</translation>
    </message>
    <message>
        <source>%1 left</source>
        <translation>剩余 %1</translation>
    </message>
</context>
<context>
    <name>EmailReplyDialog</name>
    <message>
        <source>Reply by email — %1</source>
        <translation>邮件回复 — %1</translation>
    </message>
    <message>
        <source>We received your request</source>
        <translation>已收到您的来信</translation>
    </message>
    <message>
        <source>We need more information</source>
        <translation>请补充信息</translation>
    </message>
    <message>
        <source>Your request is resolved</source>
        <translation>问题已处理完毕</translation>
    </message>
    <message>
        <source>Blank (greeting and signature)</source>
        <translation>空白（仅问候语和落款）</translation>
    </message>
    <message>
        <source>Chinese (中文)</source>
        <translation>中文</translation>
    </message>
    <message>
        <source>English</source>
        <translation>英文</translation>
    </message>
    <message>
        <source>The ticket number goes in the subject; the customer&apos;s answer comes back to this ticket.</source>
        <translation>主题中会带上服务单号，客户回信将自动归入本服务单。</translation>
    </message>
    <message>
        <source>Template:</source>
        <translation>模板：</translation>
    </message>
    <message>
        <source>Customer&apos;s language:</source>
        <translation>客户语言：</translation>
    </message>
    <message>
        <source>Subject:</source>
        <translation>主题：</translation>
    </message>
    <message>
        <source>Text:</source>
        <translation>正文：</translation>
    </message>
    <message>
        <source>Template</source>
        <translation>模板</translation>
    </message>
    <message>
        <source>Customer&apos;s language</source>
        <translation>客户语言</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>主题</translation>
    </message>
    <message>
        <source>Text of the reply</source>
        <translation>回复正文</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>发送</translation>
    </message>
    <message>
        <source>The subject is empty.</source>
        <translation>主题为空。</translation>
    </message>
    <message>
        <source>The reply has no text.</source>
        <translation>回复没有正文。</translation>
    </message>
    <message>
        <source>The reply is too long (%1 characters; at most %2).</source>
        <translation>回复太长（%1 个字符，最多 %2 个）。</translation>
    </message>
</context>
<context>
    <name>EscalationPage</name>
    <message>
        <source>A ticket keeps the chain its clock started with: changes here apply to complaints whose clock starts from now on.</source>
        <translation>工单保留其计时开始时的升级链：此处的修改只适用于此后开始计时的投诉。</translation>
    </message>
    <message>
        <source>&amp;Reload</source>
        <translation>重新读取(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>保存(&amp;S)</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Resolution targets by priority (hours)</source>
        <translation>按优先级的解决时限（小时）</translation>
    </message>
    <message>
        <source>Resolution target for %1</source>
        <translation>%1 的解决时限</translation>
    </message>
    <message>
        <source>Remove selected</source>
        <translation>删除所选</translation>
    </message>
    <message>
        <source>Resolution targets by category (override the priority&apos;s)</source>
        <translation>按类别的解决时限（优先于优先级的时限）</translation>
    </message>
    <message>
        <source>Category (its sub-categories too)</source>
        <translation>类别（含其子类别）</translation>
    </message>
    <message>
        <source>Hours</source>
        <translation>小时</translation>
    </message>
    <message>
        <source>Resolution targets by category</source>
        <translation>按类别的解决时限</translation>
    </message>
    <message>
        <source>Add category target</source>
        <translation>添加类别时限</translation>
    </message>
    <message>
        <source>Escalation chains (category empty: the default chain)</source>
        <translation>升级链（类别为空：默认升级链）</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>After (hours)</source>
        <translation>多久后（小时）</translation>
    </message>
    <message>
        <source>Goes to</source>
        <translation>升级给</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>User id</source>
        <translation>用户编号</translation>
    </message>
    <message>
        <source>Level name (English)</source>
        <translation>级别名称（英文）</translation>
    </message>
    <message>
        <source>Level name (Chinese)</source>
        <translation>级别名称（中文）</translation>
    </message>
    <message>
        <source>Escalation chain levels</source>
        <translation>升级链级别</translation>
    </message>
    <message>
        <source>Add level</source>
        <translation>添加级别</translation>
    </message>
    <message>
        <source>Other triggers</source>
        <translation>其他触发条件</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>A survey answered at or below (1–5) escalates:</source>
        <translation>回访满意度不高于此分（1–5）即升级：</translation>
    </message>
    <message>
        <source>A repeated complaint within (days) escalates:</source>
        <translation>此天数内重复投诉即升级：</translation>
    </message>
    <message>
        <source>Team managers (a level for the team&apos;s manager goes to them)</source>
        <translation>团队经理（“团队经理”级别的升级发给他们）</translation>
    </message>
    <message>
        <source>Team</source>
        <translation>团队</translation>
    </message>
    <message>
        <source>Manager</source>
        <translation>经理</translation>
    </message>
    <message>
        <source>Team managers</source>
        <translation>团队经理</translation>
    </message>
    <message>
        <source>Manager of %1</source>
        <translation>%1 的经理</translation>
    </message>
    <message>
        <source>— none —</source>
        <translation>— 无 —</translation>
    </message>
    <message>
        <source>The manager of %1 is set.</source>
        <translation>已设置 %1 的经理。</translation>
    </message>
    <message>
        <source>Team lead</source>
        <translation>组长</translation>
    </message>
    <message>
        <source>Team&apos;s manager</source>
        <translation>团队经理</translation>
    </message>
    <message>
        <source>Everyone of a role</source>
        <translation>某角色的所有人</translation>
    </message>
    <message>
        <source>A named user</source>
        <translation>指定用户</translation>
    </message>
    <message>
        <source>Team leads</source>
        <translation>组长</translation>
    </message>
    <message>
        <source>Administrators</source>
        <translation>管理员</translation>
    </message>
    <message>
        <source>Agents</source>
        <translation>坐席</translation>
    </message>
    <message>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <source>Reading the policies from the server…</source>
        <translation>正在从服务器读取策略…</translation>
    </message>
    <message>
        <source>Not saved: %1</source>
        <translation>未保存：%1</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
    <message>
        <source>Version %1, as stored on the server.</source>
        <translation>版本 %1，与服务器上保存的一致。</translation>
    </message>
    <message>
        <source>Saved: version %1.</source>
        <translation>已保存：版本 %1。</translation>
    </message>
    <message>
        <source>Another administrator saved the policies first (now version %1): theirs are shown; make your change again.</source>
        <translation>另一位管理员已先保存了策略（现为版本 %1）：现显示其内容，请重新修改。</translation>
    </message>
    <message>
        <source>Another administrator saved version %1: Reload to see it (saving from here now would be refused).</source>
        <translation>另一位管理员已保存版本 %1：请点“重新读取”查看（现在从此处保存会被拒绝）。</translation>
    </message>
    <message>
        <source>Not done: %1</source>
        <translation>未完成：%1</translation>
    </message>
    <message>
        <source>This server is older (before contract 1.6): its SLA policy is fixed and cannot be set from the desk.</source>
        <translation>此服务器版本较旧（契约 1.6 之前）：其服务时限策略固定，无法在桌面端设置。</translation>
    </message>
</context>
<context>
    <name>EscalationText</name>
    <message>
        <source>team lead</source>
        <translation>组长</translation>
    </message>
    <message>
        <source>team manager</source>
        <translation>团队经理</translation>
    </message>
    <message>
        <source>by role</source>
        <translation>按角色</translation>
    </message>
    <message>
        <source>named person</source>
        <translation>指定人员</translation>
    </message>
    <message>
        <source>Level %1</source>
        <translation>第 %1 级</translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
</context>
<context>
    <name>EvaluationsView</name>
    <message>
        <source>Agent</source>
        <translation>坐席</translation>
    </message>
    <message>
        <source>Scored</source>
        <translation>评分时间</translation>
    </message>
    <message>
        <source>Scorecard</source>
        <translation>评分表</translation>
    </message>
    <message>
        <source>Score</source>
        <translation>得分</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Fail</source>
        <translation>不合格</translation>
    </message>
    <message>
        <source>Pass</source>
        <translation>合格</translation>
    </message>
    <message>
        <source>Only disputes waiting for an answer</source>
        <translation>只看待答复的申诉</translation>
    </message>
    <message>
        <source>Evaluations</source>
        <translation>评分记录</translation>
    </message>
    <message>
        <source>Pinned moments of the call</source>
        <translation>通话中标注的时间点</translation>
    </message>
    <message>
        <source>Your comment</source>
        <translation>您的意见</translation>
    </message>
    <message>
        <source>&amp;Acknowledge</source>
        <translation>确认(&amp;A)</translation>
    </message>
    <message>
        <source>Acknowledge the evaluation</source>
        <translation>确认这份评分</translation>
    </message>
    <message>
        <source>&amp;Dispute</source>
        <translation>申诉(&amp;D)</translation>
    </message>
    <message>
        <source>Dispute the evaluation</source>
        <translation>对这份评分提出申诉</translation>
    </message>
    <message>
        <source>A&amp;nswer the dispute</source>
        <translation>答复申诉(&amp;N)</translation>
    </message>
    <message>
        <source>Answer the agent&apos;s dispute</source>
        <translation>答复坐席的申诉</translation>
    </message>
    <message>
        <source>Pinned moments (click to listen):</source>
        <translation>标注的时间点(点击收听):</translation>
    </message>
    <message>
        <source>No evaluations yet.</source>
        <translation>暂无质检评分。</translation>
    </message>
    <message numerus="yes">
        <source>%n evaluation(s) · average %2 % · %3 failed · %4 disputed</source>
        <translation>
            <numerusform>共 %n 份评分 · 平均 %2 分 · 不合格 %3 份 · 申诉 %4 份</numerusform>
        </translation>
    </message>
    <message>
        <source>Choose an evaluation.</source>
        <translation>请选择一份评分。</translation>
    </message>
    <message>
        <source>%1, scored by %2 on %3 (version %4)</source>
        <translation>%1,由 %2 按“%3”评分(第 %4 版)</translation>
    </message>
    <message>
        <source>Summary: %1</source>
        <translation>总评:%1</translation>
    </message>
    <message>
        <source>Agent: %1</source>
        <translation>坐席意见:%1</translation>
    </message>
    <message>
        <source>Answer from %1: %2</source>
        <translation>%1 的答复:%2</translation>
    </message>
</context>
<context>
    <name>Fields</name>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Customer code</source>
        <translation>客户编号</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>VIP</source>
        <translation>VIP</translation>
    </message>
    <message>
        <source>Segment</source>
        <translation>客户类型</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>Preferred channel</source>
        <translation>首选渠道</translation>
    </message>
    <message>
        <source>Do not contact by</source>
        <translation>勿用以下方式联系</translation>
    </message>
    <message>
        <source>Contacts</source>
        <translation>联系人</translation>
    </message>
    <message>
        <source>Team</source>
        <translation>团队</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>摘要</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>描述</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>优先级</translation>
    </message>
    <message>
        <source>Urgency</source>
        <translation>紧急程度</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Complaint</source>
        <translation>投诉</translation>
    </message>
    <message>
        <source>Handler</source>
        <translation>处理人</translation>
    </message>
    <message>
        <source>Linked articles</source>
        <translation>关联文章</translation>
    </message>
    <message>
        <source>Wrap-up code</source>
        <translation>话后小结代码</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Satisfaction</source>
        <translation>满意度</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>正文</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>处理结果</translation>
    </message>
    <message>
        <source>Cause</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Resolution</source>
        <translation>解决方案</translation>
    </message>
    <message>
        <source>Technician</source>
        <translation>工程师</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>方式</translation>
    </message>
    <message>
        <source>From</source>
        <translation>从</translation>
    </message>
    <message>
        <source>Until</source>
        <translation>至</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>到期</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>型号</translation>
    </message>
    <message>
        <source>Serial number</source>
        <translation>序列号</translation>
    </message>
    <message>
        <source>Warranty until</source>
        <translation>保修截止</translation>
    </message>
    <message>
        <source>customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>ticket</source>
        <translation>工单</translation>
    </message>
    <message>
        <source>interaction</source>
        <translation>接触记录</translation>
    </message>
    <message>
        <source>dispatch</source>
        <translation>派工单</translation>
    </message>
    <message>
        <source>callback or survey</source>
        <translation>回访或调查</translation>
    </message>
    <message>
        <source>product</source>
        <translation>产品</translation>
    </message>
    <message>
        <source>article</source>
        <translation>文章</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>No</source>
        <translation>否</translation>
    </message>
</context>
<context>
    <name>FilterBar</name>
    <message>
        <source>From</source>
        <translation>从</translation>
    </message>
    <message>
        <source>To</source>
        <translation>到</translation>
    </message>
    <message>
        <source>Quick range</source>
        <translation>快捷时段</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>最近 7 天</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>今天</translation>
    </message>
    <message>
        <source>Yesterday</source>
        <translation>昨天</translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation>最近 30 天</translation>
    </message>
    <message>
        <source>This month</source>
        <translation>本月</translation>
    </message>
    <message>
        <source>By</source>
        <translation>统计粒度</translation>
    </message>
    <message>
        <source>15 minutes</source>
        <translation>15 分钟</translation>
    </message>
    <message>
        <source>Day</source>
        <translation>日</translation>
    </message>
    <message>
        <source>Week</source>
        <translation>周</translation>
    </message>
    <message>
        <source>Month</source>
        <translation>月</translation>
    </message>
    <message>
        <source>Team</source>
        <translation>团队</translation>
    </message>
    <message>
        <source>Queue</source>
        <translation>队列</translation>
    </message>
    <message>
        <source>Agent</source>
        <translation>坐席</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>渠道</translation>
    </message>
    <message>
        <source>Product line</source>
        <translation>产品线</translation>
    </message>
    <message>
        <source>&amp;Show</source>
        <translation>查询(&amp;S)</translation>
    </message>
    <message>
        <source>Show the reports for this filter</source>
        <translation>按此筛选条件显示报表</translation>
    </message>
    <message>
        <source>Range</source>
        <translation>时段</translation>
    </message>
    <message>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>Me</source>
        <translation>我</translation>
    </message>
</context>
<context>
    <name>GlobalKeys</name>
    <message>
        <source>Wayland does not let an application take keys from other applications: use the desk&apos;s own keys, or sign in to an X11 session.</source>
        <translation>Wayland 不允许应用程序获取其他应用程序的按键：请使用本坐席窗口内的快捷键，或登录 X11 会话。</translation>
    </message>
    <message>
        <source>System-wide keys are not available on Windows in this release.</source>
        <translation>此版本在 Windows 上不提供全局快捷键。</translation>
    </message>
    <message>
        <source>System-wide keys need an X11 desktop (this one runs on “%1”).</source>
        <translation>全局快捷键需要 X11 桌面（当前运行于“%1”）。</translation>
    </message>
    <message>
        <source>System-wide keys could not reach the X11 display (see the desk&apos;s log).</source>
        <translation>全局快捷键无法连接 X11 显示（请查看坐席日志）。</translation>
    </message>
</context>
<context>
    <name>GlobalKeysOption</name>
    <message>
        <source>%1 (%2) is held system-wide by another program: it works only while the desk is in front.</source>
        <translation>%1（%2）已被其他程序占用为全局快捷键：仅在坐席窗口位于前台时有效。</translation>
    </message>
    <message>
        <source>%1 has no key that can work system-wide.</source>
        <translation>%1 没有可用作全局快捷键的按键。</translation>
    </message>
</context>
<context>
    <name>HandoverDialog</name>
    <message>
        <source>Hand over %1</source>
        <translation>移交 %1</translation>
    </message>
    <message>
        <source> (on duty)</source>
        <translation> （值班）</translation>
    </message>
    <message>
        <source>What was checked, what the customer said, what you need from the expert</source>
        <translation>已检查的内容、客户的描述、需要专家协助的事项</translation>
    </message>
    <message>
        <source>Also transfer the caller after consulting</source>
        <translation>咨询后同时转接来电者</translation>
    </message>
    <message>
        <source>There is no call to transfer.</source>
        <translation>当前没有可转接的通话。</translation>
    </message>
    <message>
        <source>&amp;Expert:</source>
        <translation>专家(&amp;E)：</translation>
    </message>
    <message>
        <source>&amp;Handover note:</source>
        <translation>移交说明(&amp;H)：</translation>
    </message>
    <message>
        <source>Hand over</source>
        <translation>移交</translation>
    </message>
    <message>
        <source>No second-line expert or on-duty engineer is on file.</source>
        <translation>系统中没有登记二线专家或值班工程师。</translation>
    </message>
    <message>
        <source> · %1 level %2</source>
        <translation> · %1 等级 %2</translation>
    </message>
    <message>
        <source>Choose the expert.</source>
        <translation>请选择专家。</translation>
    </message>
    <message>
        <source>Write the handover note: the expert reads it first.</source>
        <translation>请填写移交说明：专家会首先阅读。</translation>
    </message>
    <message>
        <source>The note is too long (%1 characters; at most %2).</source>
        <translation>说明过长（%1 个字符；最多 %2 个）。</translation>
    </message>
</context>
<context>
    <name>HeadsetButtons</name>
    <message>
        <source>Headset buttons are off.</source>
        <translation>耳机按键已关闭。</translation>
    </message>
    <message>
        <source>Headset buttons are unavailable: %1. Calls work as usual.</source>
        <translation>耳机按键不可用：%1。通话不受影响。</translation>
    </message>
    <message>
        <source>Headset buttons: cannot list USB devices (%1).</source>
        <translation>耳机按键：无法列出 USB 设备（%1）。</translation>
    </message>
    <message>
        <source>Headset buttons: no USB telephony headset is connected.</source>
        <translation>耳机按键：未连接 USB 话务耳机。</translation>
    </message>
    <message>
        <source>Headset buttons: the chosen headset (%1) is not connected.</source>
        <translation>耳机按键：所选耳机（%1）未连接。</translation>
    </message>
    <message>
        <source>Headset buttons: %1 is ready.</source>
        <translation>耳机按键：%1 已就绪。</translation>
    </message>
    <message>
        <source>Headset buttons stopped: %1.</source>
        <translation>耳机按键已停止：%1。</translation>
    </message>
</context>
<context>
    <name>ImportPage</name>
    <message>
        <source>CSV to import</source>
        <translation>要导入的 CSV</translation>
    </message>
    <message>
        <source>Open CSV file…</source>
        <translation>打开 CSV 文件…</translation>
    </message>
    <message>
        <source>Preview</source>
        <translation>预览</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <source>Row</source>
        <translation>行</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>Problems</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Temporary password</source>
        <translation>临时密码</translation>
    </message>
    <message>
        <source>Temporary passwords</source>
        <translation>临时密码</translation>
    </message>
    <message>
        <source>Open a list of users</source>
        <translation>打开用户名单</translation>
    </message>
    <message>
        <source>Users (*.csv *.xlsx);;CSV files (*.csv);;Excel workbooks (*.xlsx)</source>
        <translation>用户名单 (*.csv *.xlsx);;CSV 文件 (*.csv);;Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <source>Imported %1 user(s) and %2 team(s). Hand out the passwords below now: they are not shown again.</source>
        <translation>已导入 %1 个用户和 %2 个团队。请现在分发下面的密码：它们不会再次显示。</translation>
    </message>
</context>
<context>
    <name>Kb</name>
    <message>
        <source>Chinese</source>
        <translation>中文</translation>
    </message>
    <message>
        <source>English</source>
        <translation>英文</translation>
    </message>
    <message>
        <source>linked</source>
        <translation>已关联</translation>
    </message>
</context>
<context>
    <name>KbPanel</name>
    <message>
        <source>Search</source>
        <translation>搜索</translation>
    </message>
    <message>
        <source>Report</source>
        <translation>报表</translation>
    </message>
    <message>
        <source>Search the knowledge base</source>
        <translation>搜索知识库</translation>
    </message>
    <message>
        <source>Search the knowledge base: symptom, alarm code, product (中文 or English)</source>
        <translation>搜索知识库：故障现象、报警代码、产品（中文或英文）</translation>
    </message>
    <message>
        <source>All products</source>
        <translation>全部产品</translation>
    </message>
    <message>
        <source>All languages</source>
        <translation>全部语言</translation>
    </message>
    <message>
        <source>All tags</source>
        <translation>全部标签</translation>
    </message>
    <message>
        <source>Knowledge base articles found</source>
        <translation>找到的知识库文章</translation>
    </message>
    <message>
        <source>Not found? Ask the experts…</source>
        <translation>没找到？向专家提问…</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Views</source>
        <translation>浏览量</translation>
    </message>
    <message>
        <source>Helpful</source>
        <translation>有用</translation>
    </message>
    <message>
        <source>Not helpful</source>
        <translation>没用</translation>
    </message>
    <message>
        <source>Most viewed</source>
        <translation>浏览最多</translation>
    </message>
    <message>
        <source>Least helpful</source>
        <translation>有用率最低</translation>
    </message>
    <message>
        <source>Unanswered question</source>
        <translation>待解答问题</translation>
    </message>
    <message>
        <source>Product line</source>
        <translation>产品线</translation>
    </message>
    <message>
        <source>Waiting (h)</source>
        <translation>等待（小时）</translation>
    </message>
    <message>
        <source>Questions waiting for the experts, oldest first</source>
        <translation>等待专家解答的问题（最早的在前）</translation>
    </message>
    <message>
        <source>Answer…</source>
        <translation>回答…</translation>
    </message>
    <message>
        <source>Synonyms…</source>
        <translation>同义词…</translation>
    </message>
    <message>
        <source>Spoken forms agents type and the words the articles use for them</source>
        <translation>坐席输入的口语说法，以及文章中对应的用词</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>正在搜索…</translation>
    </message>
    <message>
        <source>No good match for “%1”: these only share a few words. Ask the experts.</source>
        <translation>没有与“%1”匹配良好的文章：以下结果只有少数字词相同。请向专家提问。</translation>
    </message>
    <message numerus="yes">
        <source>%n weak match(es): check the article fits before using it.</source>
        <translation>
            <numerusform>%n 条弱匹配：使用前请确认文章确实适用。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n article(s)</source>
        <translation>
            <numerusform>%n 篇文章</numerusform>
        </translation>
    </message>
    <message>
        <source>No article found for “%1”. Try fewer words, or ask the experts.</source>
        <translation>未找到与“%1”相关的文章。请减少关键词，或向专家提问。</translation>
    </message>
    <message>
        <source>Suggested for the call about %1</source>
        <translation>本次来电相关推荐：%1</translation>
    </message>
    <message>
        <source>Preparing the knowledge base…</source>
        <translation>正在准备知识库…</translation>
    </message>
    <message numerus="yes">
        <source>%n article(s) in the knowledge base, offline too</source>
        <translation>
            <numerusform>知识库共 %n 篇文章，离线也可用</numerusform>
        </translation>
    </message>
    <message>
        <source>The report needs the server: not reachable now.</source>
        <translation>报表需要连接服务器：当前无法连接。</translation>
    </message>
    <message>
        <source>Answer coverage: %1% of %2 tickets have a linked article</source>
        <translation>答案覆盖率：%2 张工单中有 %1% 关联了文章</translation>
    </message>
</context>
<context>
    <name>KbService</name>
    <message>
        <source>The server is too old to keep the centre&apos;s synonyms; ask IT to update it.</source>
        <translation>服务器版本太旧，无法保存本中心的同义词；请联系 IT 升级。</translation>
    </message>
    <message>
        <source>The local cache is not open yet.</source>
        <translation>本地缓存尚未打开。</translation>
    </message>
    <message>
        <source>Only an expert can answer questions.</source>
        <translation>只有专家可以回答问题。</translation>
    </message>
    <message>
        <source>The server is too old to answer with an existing article; publish the answer as an article instead.</source>
        <translation>服务器版本太旧，无法用现有文章回答；请改为把答案发布为文章。</translation>
    </message>
</context>
<context>
    <name>KbSuggestions</name>
    <message>
        <source>Suggested articles (click to link to this ticket):</source>
        <translation>推荐文章（点击即关联到此工单）：</translation>
    </message>
    <message>
        <source>Suggested articles</source>
        <translation>推荐文章</translation>
    </message>
    <message>
        <source>No article fits yet.</source>
        <translation>暂无匹配的文章。</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>Sign in — %1</source>
        <translation>登录 — %1</translation>
    </message>
    <message>
        <source>Sign in to the contact centre</source>
        <translation>登录呼叫中心</translation>
    </message>
    <message>
        <source>your user name</source>
        <translation>您的用户名</translation>
    </message>
    <message>
        <source>Keep me signed in on this computer</source>
        <translation>在这台电脑上保持登录</translation>
    </message>
    <message>
        <source>Signing in…</source>
        <translation>正在登录…</translation>
    </message>
    <message>
        <source>&amp;Server:</source>
        <translation>服务器(&amp;S)：</translation>
    </message>
    <message>
        <source>&amp;User name:</source>
        <translation>用户名(&amp;U)：</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>密码(&amp;P)：</translation>
    </message>
    <message>
        <source>Your sign-in will not be remembered: %1.</source>
        <translation>不会记住您的登录：%1。</translation>
    </message>
    <message>
        <source>Sign &amp;in</source>
        <translation>登录(&amp;I)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>Enter the server address.</source>
        <translation>请输入服务器地址。</translation>
    </message>
    <message>
        <source>Enter your user name.</source>
        <translation>请输入用户名。</translation>
    </message>
    <message>
        <source>Enter your password.</source>
        <translation>请输入密码。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Customer 360</source>
        <translation>客户 360</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Sync now</source>
        <translation>立即同步(&amp;S)</translation>
    </message>
    <message>
        <source>Settle &amp;conflicts…</source>
        <translation>解决冲突(&amp;C)…</translation>
    </message>
    <message>
        <source>&amp;Refused changes…</source>
        <translation>被拒绝的修改(&amp;R)…</translation>
    </message>
    <message>
        <source>Sign &amp;out</source>
        <translation>注销(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Tools</source>
        <translation>工具(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Administration…</source>
        <translation>管理(&amp;A)…</translation>
    </message>
    <message>
        <source>&amp;Quality…</source>
        <translation>质检(&amp;Q)…</translation>
    </message>
    <message>
        <source>&amp;Workforce…</source>
        <translation>排班管理(&amp;W)…</translation>
    </message>
    <message>
        <source>My &amp;shifts…</source>
        <translation>我的班次(&amp;S)…</translation>
    </message>
    <message>
        <source>&amp;Reports…</source>
        <translation>报表(&amp;R)…</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>Customer &amp;360</source>
        <translation>客户 360(&amp;3)</translation>
    </message>
    <message>
        <source>&amp;Audio devices…</source>
        <translation>音频设备(&amp;A)…</translation>
    </message>
    <message>
        <source>&amp;Reset layout</source>
        <translation>重置布局(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts…</source>
        <translation>键盘快捷键…(&amp;K)</translation>
    </message>
    <message>
        <source>Compact call bar &amp;when minimised</source>
        <translation>最小化时显示精简通话条(&amp;W)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts</source>
        <translation>键盘快捷键(&amp;K)</translation>
    </message>
    <message>
        <source>&amp;About %1</source>
        <translation>关于 %1(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Call</source>
        <translation>通话(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Answer</source>
        <translation>接听(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Decline</source>
        <translation>拒接(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Hang up</source>
        <translation>挂断(&amp;H)</translation>
    </message>
    <message>
        <source>H&amp;old / resume</source>
        <translation>保持 / 恢复(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Mute / unmute</source>
        <translation>静音 / 取消静音(&amp;M)</translation>
    </message>
    <message>
        <source>&amp;Transfer…</source>
        <translation>转接…(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Pause / resume recording</source>
        <translation>暂停 / 恢复录音(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Ready</source>
        <translation>就绪(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Not ready…</source>
        <translation>未就绪…(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Wrap-up done</source>
        <translation>完成话后处理(&amp;W)</translation>
    </message>
    <message>
        <source>New tic&amp;ket…</source>
        <translation>新建工单…(&amp;K)</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>The recording could not be fetched: %1</source>
        <translation>无法获取录音：%1</translation>
    </message>
    <message>
        <source>Fetching the recording…</source>
        <translation>正在获取录音…</translation>
    </message>
    <message>
        <source>Connection to the server</source>
        <translation>与服务器的连接</translation>
    </message>
    <message>
        <source>Your agent state</source>
        <translation>您的坐席状态</translation>
    </message>
    <message>
        <source>Signed in as</source>
        <translation>当前登录用户</translation>
    </message>
    <message>
        <source>Sync progress</source>
        <translation>同步进度</translation>
    </message>
    <message>
        <source>Your state for the queue; a choice made on a call applies after it</source>
        <translation>您在队列中的状态；通话中所选状态在通话结束后生效</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>立即同步</translation>
    </message>
    <message>
        <source>Call bar</source>
        <translation>通话栏</translation>
    </message>
    <message>
        <source>More call bar buttons</source>
        <translation>更多通话栏按钮</translation>
    </message>
    <message>
        <source>Withheld number</source>
        <translation>隐藏号码</translation>
    </message>
    <message>
        <source>Incoming call</source>
        <translation>来电</translation>
    </message>
    <message>
        <source>%1 is calling. Answer: %2, or Answer in the tray menu.</source>
        <translation>%1 来电。接听：%2，或在托盘菜单中选择“接听”。</translation>
    </message>
    <message>
        <source>Save &amp;diagnostics…</source>
        <translation>保存诊断信息(&amp;D)…</translation>
    </message>
    <message>
        <source>Diagnostics saved to %1</source>
        <translation>诊断信息已保存到 %1</translation>
    </message>
    <message>
        <source>Could not save the diagnostics: %1</source>
        <translation>无法保存诊断信息：%1</translation>
    </message>
    <message>
        <source>&amp;Phone account…</source>
        <translation>电话账户(&amp;P)…</translation>
    </message>
    <message>
        <source>Phone account saved; the phone uses it the next time the app starts.</source>
        <translation>电话账户已保存，下次启动应用时生效。</translation>
    </message>
    <message>
        <source>Could not save the phone account: %1</source>
        <translation>无法保存电话账户：%1</translation>
    </message>
    <message>
        <source>Save diagnostics</source>
        <translation>保存诊断信息</translation>
    </message>
    <message>
        <source>Zip archives (*.zip)</source>
        <translation>Zip 压缩包 (*.zip)</translation>
    </message>
    <message>
        <source>Colleague &amp;directory…</source>
        <translation>同事通讯录(&amp;D)…</translation>
    </message>
    <message>
        <source>&amp;Supervisor</source>
        <translation>监控看板(&amp;S)</translation>
    </message>
    <message>
        <source> (after this call)</source>
        <translation> （本次通话结束后）</translation>
    </message>
    <message>
        <source>Your team lead %1 set you to %2%3</source>
        <translation>组长 %1 已将您设为“%2”%3</translation>
    </message>
    <message>
        <source>Message from %1: %2</source>
        <translation>来自 %1 的消息：%2</translation>
    </message>
    <message>
        <source>Profile saved; it syncs when online.</source>
        <translation>资料已保存，联网后同步。</translation>
    </message>
    <message>
        <source>then %1</source>
        <translation>之后 %1</translation>
    </message>
    <message>
        <source>● Signed out</source>
        <translation>● 未登录</translation>
    </message>
    <message>
        <source>● Connecting…</source>
        <translation>● 正在连接…</translation>
    </message>
    <message>
        <source>● Online</source>
        <translation>● 在线</translation>
    </message>
    <message>
        <source>● Offline — retrying</source>
        <translation>● 离线 — 正在重试</translation>
    </message>
    <message>
        <source>Logged out</source>
        <translation>已签出</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <source>Not ready</source>
        <translation>未就绪</translation>
    </message>
    <message>
        <source>On call</source>
        <translation>通话中</translation>
    </message>
    <message>
        <source>Wrap-up</source>
        <translation>话后处理</translation>
    </message>
    <message>
        <source>Agent</source>
        <translation>坐席</translation>
    </message>
    <message>
        <source>Team lead</source>
        <translation>组长</translation>
    </message>
    <message>
        <source>Administrator</source>
        <translation>管理员</translation>
    </message>
    <message>
        <source>Agent state: %1</source>
        <translation>坐席状态：%1</translation>
    </message>
    <message>
        <source>The profile was not saved: %1</source>
        <translation>资料未保存：%1</translation>
    </message>
    <message>
        <source>Your new password is set.</source>
        <translation>新密码已设置。</translation>
    </message>
    <message>
        <source>Your team&apos;s roster for the week of %1 was published (Tools ▸ My shifts).</source>
        <translation>团队 %1 这一周的排班已发布（工具 ▸ 我的班次）。</translation>
    </message>
    <message>
        <source>A new evaluation of your call: %1 % (Tools ▸ Quality).</source>
        <translation>您有一份新的通话质检评分:%1 分(工具 ▸ 质检)。</translation>
    </message>
    <message>
        <source>An agent disputed an evaluation (Tools ▸ Quality).</source>
        <translation>有坐席对质检评分提出申诉(工具 ▸ 质检)。</translation>
    </message>
    <message>
        <source>Your dispute was answered (Tools ▸ Quality).</source>
        <translation>您的申诉已获答复(工具 ▸ 质检)。</translation>
    </message>
    <message>
        <source>A dispute was answered (Tools ▸ Quality).</source>
        <translation>一项申诉已答复(工具 ▸ 质检)。</translation>
    </message>
    <message>
        <source>An agent acknowledged an evaluation.</source>
        <translation>有坐席确认了质检评分。</translation>
    </message>
    <message>
        <source>Your permissions were changed by an administrator.</source>
        <translation>管理员已更改您的权限。</translation>
    </message>
    <message>
        <source> · waiting to send: %1</source>
        <translation> · 待发送：%1</translation>
    </message>
    <message>
        <source> · recordings to upload: %1</source>
        <translation> · 待上传录音：%1</translation>
    </message>
    <message>
        <source>● Downloading your data: %1 of %2 MB</source>
        <translation>● 正在下载您的数据：%1 / %2 MB</translation>
    </message>
    <message>
        <source>● Syncing %1 of %2</source>
        <translation>● 正在同步 %1 / %2</translation>
    </message>
    <message>
        <source>● Syncing…</source>
        <translation>● 正在同步…</translation>
    </message>
    <message>
        <source>● Update needed: ask IT — your changes are kept</source>
        <translation>● 需要升级：请联系 IT — 您的更改已保留</translation>
    </message>
    <message>
        <source>● Offline since %1</source>
        <translation>● 自 %1 起离线</translation>
    </message>
    <message>
        <source>● Server not answering properly — retrying</source>
        <translation>● 服务器应答异常 — 正在重试</translation>
    </message>
    <message>
        <source>● Session ended — sign in again</source>
        <translation>● 会话已结束 — 请重新登录</translation>
    </message>
    <message>
        <source>Offline: this is the copy on this PC, last synced at %1; it may be out of date. Your changes are kept and sent when the server is back.</source>
        <translation>离线：显示的是本机副本，上次同步于 %1，可能不是最新。您的修改会保留，并在服务器恢复后发送。</translation>
    </message>
    <message>
        <source>Last synced at %1</source>
        <translation>上次同步：%1</translation>
    </message>
    <message>
        <source>Conflicts: %1</source>
        <translation>冲突：%1</translation>
    </message>
    <message>
        <source>Refused: %1</source>
        <translation>被拒绝：%1</translation>
    </message>
    <message>
        <source>About %1</source>
        <translation>关于 %1</translation>
    </message>
    <message>
        <source>The desktop for contact-centre agents and team leads.</source>
        <translation>为呼叫中心坐席和组长打造的工作台。</translation>
    </message>
    <message>
        <source>Licensed under the GNU GPL, version 2 or later.</source>
        <translation>依据 GNU GPL 第 2 版或更高版本授权。</translation>
    </message>
</context>
<context>
    <name>MomentField</name>
    <message>
        <source>Moment in the call:</source>
        <translation>通话时间点:</translation>
    </message>
    <message>
        <source>Moment in the call</source>
        <translation>通话时间点</translation>
    </message>
</context>
<context>
    <name>MonitorBar</name>
    <message>
        <source>Listen</source>
        <translation>监听</translation>
    </message>
    <message>
        <source>Hear the call; your microphone stays closed</source>
        <translation>旁听通话；您的麦克风保持关闭</translation>
    </message>
    <message>
        <source>Whisper</source>
        <translation>耳语</translation>
    </message>
    <message>
        <source>Speak to the agent only</source>
        <translation>只对坐席说话（客户听不到）</translation>
    </message>
    <message>
        <source>Barge</source>
        <translation>强插</translation>
    </message>
    <message>
        <source>Join the call: everyone hears you</source>
        <translation>加入通话：所有人都能听到您</translation>
    </message>
    <message>
        <source>Take over</source>
        <translation>接管</translation>
    </message>
    <message>
        <source>You and the customer; the agent leaves</source>
        <translation>由您与客户通话；坐席退出</translation>
    </message>
    <message>
        <source>Leave</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>Monitor:</source>
        <translation>监控：</translation>
    </message>
    <message>
        <source>Pick an agent on a call first.</source>
        <translation>请先选择一位正在通话的坐席。</translation>
    </message>
    <message>
        <source>%1 is not on a call.</source>
        <translation>%1 当前不在通话中。</translation>
    </message>
    <message>
        <source>Joining %1&apos;s call…</source>
        <translation>正在加入 %1 的通话…</translation>
    </message>
    <message>
        <source>Monitoring of %1 ended: %2</source>
        <translation>对 %1 的监控已结束：%2</translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
</context>
<context>
    <name>MonitorService</name>
    <message>
        <source>● Monitored by %1 (%2)</source>
        <translation>● 正被 %1 监控（%2）</translation>
    </message>
    <message>
        <source>listening</source>
        <translation>监听中</translation>
    </message>
    <message>
        <source>coaching you</source>
        <translation>正在辅导您</translation>
    </message>
    <message>
        <source>in the call</source>
        <translation>已加入通话</translation>
    </message>
    <message>
        <source>took the call over</source>
        <translation>已接管通话</translation>
    </message>
    <message>
        <source>Monitoring needs the server: you are offline.</source>
        <translation>监控需要连接服务器：您当前离线。</translation>
    </message>
    <message>
        <source>Leave the current monitoring first.</source>
        <translation>请先退出当前的监控。</translation>
    </message>
    <message>
        <source>you left</source>
        <translation>您已退出</translation>
    </message>
    <message>
        <source>the call ended</source>
        <translation>通话已结束</translation>
    </message>
</context>
<context>
    <name>MyShiftsWindow</name>
    <message>
        <source>My shifts</source>
        <translation>我的班次</translation>
    </message>
    <message>
        <source>My shifts this week and next</source>
        <translation>本周和下周的我的班次</translation>
    </message>
    <message>
        <source>Day</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Shift</source>
        <translation>班次</translation>
    </message>
    <message>
        <source>Hours</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Breaks</source>
        <translation>小休</translation>
    </message>
    <message>
        <source>Lunch</source>
        <translation>午餐</translation>
    </message>
    <message>
        <source>Mon</source>
        <translation>周一</translation>
    </message>
    <message>
        <source>Tue</source>
        <translation>周二</translation>
    </message>
    <message>
        <source>Wed</source>
        <translation>周三</translation>
    </message>
    <message>
        <source>Thu</source>
        <translation>周四</translation>
    </message>
    <message>
        <source>Fri</source>
        <translation>周五</translation>
    </message>
    <message>
        <source>Sat</source>
        <translation>周六</translation>
    </message>
    <message>
        <source>Sun</source>
        <translation>周日</translation>
    </message>
    <message>
        <source>Day</source>
        <comment>shift kind</comment>
        <translation>白班</translation>
    </message>
    <message>
        <source>Evening</source>
        <translation>晚班</translation>
    </message>
    <message>
        <source>Night</source>
        <translation>夜班</translation>
    </message>
    <message>
        <source>Holiday</source>
        <translation>节假日班</translation>
    </message>
    <message>
        <source>This week (from %1)</source>
        <translation>本周（%1 起）</translation>
    </message>
    <message>
        <source>Next week (from %1)</source>
        <translation>下周（%1 起）</translation>
    </message>
    <message>
        <source>No published shift this week.</source>
        <translation>本周没有已发布的班次。</translation>
    </message>
    <message>
        <source>%1 (today)</source>
        <translation>%1（今天）</translation>
    </message>
    <message>
        <source>%1 shifts published for you over these two weeks.</source>
        <translation>这两周已为您发布 %1 个班次。</translation>
    </message>
    <message>
        <source>Your team&apos;s roster for the week of %1 was published; shown again.</source>
        <translation>团队 %1 这一周的排班已发布，已重新显示。</translation>
    </message>
</context>
<context>
    <name>NewCustomerDialog</name>
    <message>
        <source>New customer</source>
        <translation>新建客户</translation>
    </message>
    <message>
        <source>Organisation or person</source>
        <translation>单位或个人</translation>
    </message>
    <message>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <source>Mr</source>
        <translation>先生</translation>
    </message>
    <message>
        <source>Ms</source>
        <translation>女士</translation>
    </message>
    <message>
        <source>Dr</source>
        <translation>医生</translation>
    </message>
    <message>
        <source>Chinese</source>
        <translation>中文</translation>
    </message>
    <message>
        <source>English</source>
        <translation>英文</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>名称(&amp;N)：</translation>
    </message>
    <message>
        <source>&amp;Contact:</source>
        <translation>联系人(&amp;C)：</translation>
    </message>
    <message>
        <source>&amp;Salutation:</source>
        <translation>称呼(&amp;S)：</translation>
    </message>
    <message>
        <source>&amp;Phone:</source>
        <translation>电话(&amp;P)：</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>语言(&amp;L)：</translation>
    </message>
    <message>
        <source>&amp;Address:</source>
        <translation>地址(&amp;A)：</translation>
    </message>
    <message>
        <source>Enter the customer&apos;s name.</source>
        <translation>请输入客户名称。</translation>
    </message>
    <message>
        <source>At most 200 characters.</source>
        <translation>最多 200 个字符。</translation>
    </message>
    <message>
        <source>Enter the name of the person calling.</source>
        <translation>请输入来电人姓名。</translation>
    </message>
    <message>
        <source>This is not a phone number we can dial.</source>
        <translation>这不是可拨打的电话号码。</translation>
    </message>
    <message>
        <source>At most 500 characters.</source>
        <translation>最多 500 个字符。</translation>
    </message>
</context>
<context>
    <name>PasswordDialog</name>
    <message>
        <source>Choose a new password</source>
        <translation>设置新密码</translation>
    </message>
    <message>
        <source>You signed in with a temporary password. Choose your own now; the temporary one stops working.</source>
        <translation>您使用临时密码登录。请现在设置自己的密码；临时密码将失效。</translation>
    </message>
    <message>
        <source>Temporary password</source>
        <translation>临时密码</translation>
    </message>
    <message>
        <source>New password</source>
        <translation>新密码</translation>
    </message>
    <message>
        <source>New password again</source>
        <translation>再次输入新密码</translation>
    </message>
    <message>
        <source>A password has at least %1 characters.</source>
        <translation>密码至少需要 %1 个字符。</translation>
    </message>
    <message>
        <source>The two new passwords differ.</source>
        <translation>两次输入的新密码不一致。</translation>
    </message>
</context>
<context>
    <name>PatternsEditor</name>
    <message>
        <source>Shift patterns</source>
        <translation>班次模板</translation>
    </message>
    <message>
        <source>New pattern</source>
        <translation>新建模板</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Save patterns</source>
        <translation>保存模板</translation>
    </message>
    <message>
        <source>Day</source>
        <translation>白班</translation>
    </message>
    <message>
        <source>Evening</source>
        <translation>晚班</translation>
    </message>
    <message>
        <source>Night</source>
        <translation>夜班</translation>
    </message>
    <message>
        <source>Holiday</source>
        <translation>节假日班</translation>
    </message>
    <message>
        <source>Break %1</source>
        <translation>小休 %1</translation>
    </message>
    <message>
        <source>Lunch</source>
        <translation>午餐</translation>
    </message>
    <message>
        <source>Also worked on public holidays</source>
        <translation>法定节假日也上此班</translation>
    </message>
    <message>
        <source>Pattern</source>
        <translation>班次模板</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>代码</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Starts at</source>
        <translation>上班时间</translation>
    </message>
    <message>
        <source>Length (min)</source>
        <translation>时长（分钟）</translation>
    </message>
    <message>
        <source>Days</source>
        <translation>适用日</translation>
    </message>
    <message>
        <source>Apply to the list</source>
        <translation>应用到列表</translation>
    </message>
    <message>
        <source>Mon</source>
        <translation>周一</translation>
    </message>
    <message>
        <source>Tue</source>
        <translation>周二</translation>
    </message>
    <message>
        <source>Wed</source>
        <translation>周三</translation>
    </message>
    <message>
        <source>Thu</source>
        <translation>周四</translation>
    </message>
    <message>
        <source>Fri</source>
        <translation>周五</translation>
    </message>
    <message>
        <source>Sat</source>
        <translation>周六</translation>
    </message>
    <message>
        <source>Sun</source>
        <translation>周日</translation>
    </message>
    <message>
        <source>New shift %1</source>
        <translation>新班次 %1</translation>
    </message>
    <message>
        <source>Not a valid pattern: %1</source>
        <translation>班次模板无效：%1</translation>
    </message>
</context>
<context>
    <name>PauseRow</name>
    <message>
        <source>length (min)</source>
        <translation>时长（分钟）</translation>
    </message>
    <message>
        <source>starts from (min in)</source>
        <translation>最早开始（上班后分钟）</translation>
    </message>
    <message>
        <source>to (min in)</source>
        <translation>最晚开始（上班后分钟）</translation>
    </message>
    <message>
        <source>starts %1–%2</source>
        <translation>开始于 %1–%2</translation>
    </message>
</context>
<context>
    <name>PausedCallsView</name>
    <message>
        <source>Recording paused</source>
        <translation>录音已暂停</translation>
    </message>
    <message>
        <source>Calls whose recording is paused now</source>
        <translation>当前暂停录音的通话</translation>
    </message>
    <message>
        <source>No call is paused.</source>
        <translation>没有暂停录音的通话。</translation>
    </message>
    <message>
        <source>by the agent</source>
        <translation>坐席操作</translation>
    </message>
    <message>
        <source>card or ID being entered</source>
        <translation>正在录入卡号或证件号</translation>
    </message>
    <message>
        <source>%1: paused (%2), since %3</source>
        <translation>%1：录音已暂停（%2），自 %3 起</translation>
    </message>
</context>
<context>
    <name>PhoneAccountDialog</name>
    <message>
        <source>Phone account</source>
        <translation>电话账户</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>At debug level</source>
        <translation>仅在调试级别</translation>
    </message>
    <message>
        <source>Always</source>
        <translation>始终</translation>
    </message>
    <message>
        <source>SIP &amp;domain (with its port):</source>
        <translation>SIP 域(&amp;D)（含端口）：</translation>
    </message>
    <message>
        <source>&amp;Registrar:</source>
        <translation>注册服务器(&amp;R)：</translation>
    </message>
    <message>
        <source>&amp;Outbound proxy:</source>
        <translation>出站代理(&amp;O)：</translation>
    </message>
    <message>
        <source>&amp;Transport:</source>
        <translation>传输协议(&amp;T)：</translation>
    </message>
    <message>
        <source>SIP trace in the &amp;log:</source>
        <translation>日志中的 SIP 跟踪(&amp;L)：</translation>
    </message>
    <message>
        <source>A sips: registrar or proxy uses TLS. The phone uses these settings the next time the app starts.</source>
        <translation>sips: 开头的注册服务器或代理使用 TLS。这些设置在下次启动应用时生效。</translation>
    </message>
    <message>
        <source>Enter the SIP domain.</source>
        <translation>请输入 SIP 域。</translation>
    </message>
    <message>
        <source>The registrar</source>
        <translation>注册服务器</translation>
    </message>
    <message>
        <source>The outbound proxy</source>
        <translation>出站代理</translation>
    </message>
    <message>
        <source>%1 must be empty or start with sip: or sips:.</source>
        <translation>%1 必须留空，或以 sip: 或 sips: 开头。</translation>
    </message>
</context>
<context>
    <name>PhonePanel</name>
    <message>
        <source>The softphone will live here: incoming calls with the caller&apos;s number, answer, hold, mute, transfer, conference and a dial pad.</source>
        <translation>软电话将在此处：来电号码显示、接听、保持、静音、转接、会议和拨号盘。</translation>
    </message>
    <message>
        <source>Number or extension</source>
        <translation>号码或分机</translation>
    </message>
    <message>
        <source>Call</source>
        <translation>呼叫</translation>
    </message>
    <message>
        <source>Phone line</source>
        <translation>电话线路</translation>
    </message>
    <message>
        <source>Number to dial</source>
        <translation>拨打号码</translation>
    </message>
    <message>
        <source>Calls</source>
        <translation>通话</translation>
    </message>
    <message>
        <source>Answer</source>
        <translation>接听</translation>
    </message>
    <message>
        <source>Reject</source>
        <translation>拒接</translation>
    </message>
    <message>
        <source>Hang up</source>
        <translation>挂断</translation>
    </message>
    <message>
        <source>Hold</source>
        <translation>保持</translation>
    </message>
    <message>
        <source>Mute</source>
        <translation>静音</translation>
    </message>
    <message>
        <source>Transfer…</source>
        <translation>转接…</translation>
    </message>
    <message>
        <source>Complete transfer</source>
        <translation>完成转接</translation>
    </message>
    <message>
        <source>Conference</source>
        <translation>会议</translation>
    </message>
    <message>
        <source>Join your calls into one: everyone hears everyone</source>
        <translation>把您的通话合并为一个：所有人互相都能听到</translation>
    </message>
    <message>
        <source>Connect the caller on hold to the person you consulted, and leave the call</source>
        <translation>把保持中的来电者接给您咨询的人，然后您退出通话</translation>
    </message>
    <message>
        <source>Transfer</source>
        <translation>转接</translation>
    </message>
    <message>
        <source>Transfer this call to (number or extension):</source>
        <translation>把此通话转接到（号码或分机）：</translation>
    </message>
    <message>
        <source>Transfer completed.</source>
        <translation>转接完成。</translation>
    </message>
    <message>
        <source>The transfer failed (%1); the caller is still with you.</source>
        <translation>转接失败（%1）；来电者仍在您这里。</translation>
    </message>
    <message>
        <source>This phone can hold 4 calls at once. End or transfer one before dialling.</source>
        <translation>本话机最多同时保持 4 路通话。请先结束或转接一路再拨号。</translation>
    </message>
    <message>
        <source>Enter a number to call.</source>
        <translation>请输入要拨打的号码。</translation>
    </message>
    <message>
        <source>That is not a telephone key.</source>
        <translation>这不是电话按键。</translation>
    </message>
    <message>
        <source>That call has already ended.</source>
        <translation>该通话已结束。</translation>
    </message>
    <message>
        <source>The phone is not started.</source>
        <translation>话机尚未启动。</translation>
    </message>
    <message>
        <source>The phone is restarting; try again in a moment.</source>
        <translation>电话正在重启，请稍后再试。</translation>
    </message>
    <message>
        <source>The phone keeps failing and has stopped. Restart the app.</source>
        <translation>电话反复出错，已停止运行。请重新启动应用程序。</translation>
    </message>
    <message>
        <source>Ringing — incoming call</source>
        <translation>振铃 — 来电</translation>
    </message>
    <message>
        <source>Calling…</source>
        <translation>正在呼叫…</translation>
    </message>
    <message>
        <source>Ringing at the other end</source>
        <translation>对方振铃中</translation>
    </message>
    <message>
        <source>On hold %1</source>
        <translation>保持中 %1</translation>
    </message>
    <message>
        <source>Talking %1</source>
        <translation>通话中 %1</translation>
    </message>
    <message>
        <source>muted</source>
        <translation>已静音</translation>
    </message>
    <message>
        <source>they put you on hold</source>
        <translation>对方已将您保持</translation>
    </message>
    <message>
        <source>Ended: %1</source>
        <translation>已结束：%1</translation>
    </message>
    <message>
        <source>no answer</source>
        <translation>无人接听</translation>
    </message>
    <message>
        <source>number not found</source>
        <translation>号码不存在</translation>
    </message>
    <message>
        <source>incomplete number</source>
        <translation>号码不完整</translation>
    </message>
    <message>
        <source>busy</source>
        <translation>忙线</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>declined</source>
        <translation>已拒接</translation>
    </message>
    <message>
        <source>the line is unavailable; try again shortly</source>
        <translation>线路不可用，请稍后再试</translation>
    </message>
    <message>
        <source>the phone restarted and the call was lost</source>
        <translation>电话已重启，通话中断</translation>
    </message>
    <message>
        <source>the other end&apos;s certificate is not trusted; ask IT for the CA file (phone.ca_file in the configuration)</source>
        <translation>对方的证书不受信任；请向 IT 部门索取 CA 文件（配置中的 phone.ca_file）</translation>
    </message>
    <message>
        <source>the address was not found (DNS); check the number or address</source>
        <translation>找不到该地址（DNS）；请检查号码或地址</translation>
    </message>
    <message>
        <source>the address could not be reached: no reply from the name server or the network; tell IT if it keeps happening</source>
        <translation>无法连接该地址：域名服务器或网络没有响应；如果反复出现，请联系 IT</translation>
    </message>
    <message>
        <source>hung up</source>
        <translation>已挂断</translation>
    </message>
    <message>
        <source>Incoming call: %1</source>
        <translation>来电：%1</translation>
    </message>
    <message>
        <source>Outgoing call: %1</source>
        <translation>去电：%1</translation>
    </message>
    <message>
        <source>Note from your colleague: %1</source>
        <translation>同事备注：%1</translation>
    </message>
    <message>
        <source>Withheld number</source>
        <translation>隐藏号码</translation>
    </message>
    <message>
        <source>queue %1 (%2)</source>
        <translation>队列 %1（%2）</translation>
    </message>
    <message>
        <source>via %1</source>
        <translation>经由 %1</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>恢复</translation>
    </message>
    <message>
        <source>● Phone restarting…</source>
        <translation>● 电话正在重启…</translation>
    </message>
    <message>
        <source>● Phone starting…</source>
        <translation>● 电话正在启动…</translation>
    </message>
    <message>
        <source>● Phone stopped</source>
        <translation>● 电话已停止</translation>
    </message>
    <message>
        <source>● Registered to %1</source>
        <translation>● 已注册到 %1</translation>
    </message>
    <message>
        <source>● Registering to %1…</source>
        <translation>● 正在注册到 %1…</translation>
    </message>
    <message>
        <source>● Not registered: %1</source>
        <translation>● 未注册：%1</translation>
    </message>
    <message>
        <source>retrying at %1</source>
        <translation>将于 %1 重试</translation>
    </message>
    <message>
        <source>● Direct calls to %1</source>
        <translation>● 直拨地址 %1</translation>
    </message>
    <message>
        <source>● Phone off</source>
        <translation>● 话机未开启</translation>
    </message>
</context>
<context>
    <name>Policy</name>
    <message>
        <source>Set by your IT department (machine policy)</source>
        <translation>由 IT 部门设定（计算机策略）</translation>
    </message>
</context>
<context>
    <name>ProfileEditor</name>
    <message>
        <source>Chinese</source>
        <translation>中文</translation>
    </message>
    <message>
        <source>English</source>
        <translation>英文</translation>
    </message>
    <message>
        <source>Contacts</source>
        <translation>联系人</translation>
    </message>
    <message>
        <source>Contact</source>
        <translation>联系人</translation>
    </message>
    <message>
        <source>Salutation</source>
        <translation>称呼</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Email</source>
        <translation>电子邮件</translation>
    </message>
    <message>
        <source>Add contact</source>
        <translation>添加联系人</translation>
    </message>
    <message>
        <source>Remove contact</source>
        <translation>删除联系人</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>名称(&amp;N)：</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>语言(&amp;L)：</translation>
    </message>
    <message>
        <source>&amp;Address:</source>
        <translation>地址(&amp;A)：</translation>
    </message>
    <message>
        <source>N&amp;otes:</source>
        <translation>备注(&amp;O)：</translation>
    </message>
    <message>
        <source>A customer has at most %1 contacts.</source>
        <translation>一个客户最多有 %1 个联系人。</translation>
    </message>
    <message>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <source>Mr</source>
        <translation>先生</translation>
    </message>
    <message>
        <source>Ms</source>
        <translation>女士</translation>
    </message>
    <message>
        <source>Dr</source>
        <translation>医生</translation>
    </message>
    <message>
        <source>Contact %1: %2</source>
        <translation>联系人 %1：%2</translation>
    </message>
    <message>
        <source>enter the contact&apos;s name.</source>
        <translation>请输入联系人姓名。</translation>
    </message>
    <message>
        <source>the name is too long (at most %1 characters).</source>
        <translation>姓名太长（最多 %1 个字符）。</translation>
    </message>
    <message>
        <source>“%1” is not a phone number we can dial.</source>
        <translation>“%1”不是可拨打的电话号码。</translation>
    </message>
    <message>
        <source>enter a phone number.</source>
        <translation>请输入电话号码。</translation>
    </message>
    <message>
        <source>“%1” is not an email address.</source>
        <translation>“%1”不是电子邮件地址。</translation>
    </message>
    <message>
        <source>Enter the customer&apos;s name.</source>
        <translation>请输入客户名称。</translation>
    </message>
    <message>
        <source>At most %1 characters.</source>
        <translation>最多 %1 个字符。</translation>
    </message>
    <message>
        <source>The notes are too long (%1 characters; at most %2).</source>
        <translation>备注太长（%1 个字符，最多 %2 个）。</translation>
    </message>
</context>
<context>
    <name>QualityService</name>
    <message>
        <source>Scorecard %1 saved (version %2).</source>
        <translation>评分表“%1”已保存(第 %2 版)。</translation>
    </message>
    <message>
        <source>Shared with the agent: %1 %.</source>
        <translation>已发布给坐席:%1 分。</translation>
    </message>
    <message>
        <source>Draft saved: %1 %.</source>
        <translation>草稿已保存:%1 分。</translation>
    </message>
    <message>
        <source>Evaluation acknowledged.</source>
        <translation>已确认评分。</translation>
    </message>
    <message>
        <source>Dispute sent to your team lead.</source>
        <translation>申诉已提交给您的组长。</translation>
    </message>
    <message>
        <source>Answer sent to the agent.</source>
        <translation>答复已发送给坐席。</translation>
    </message>
    <message>
        <source>Not signed in to the server.</source>
        <translation>尚未登录服务器。</translation>
    </message>
    <message>
        <source>Someone else saved this scorecard first; their version is shown.</source>
        <translation>其他人已先保存了这份评分表,现显示其版本。</translation>
    </message>
    <message>
        <source>This server has no quality scoring yet (it is older than contract 1.7).</source>
        <translation>此服务器尚不支持质检评分(协议版本低于 1.7)。</translation>
    </message>
</context>
<context>
    <name>QualityTexts</name>
    <message>
        <source>Draft</source>
        <translation>草稿</translation>
    </message>
    <message>
        <source>Waiting for the agent</source>
        <translation>待坐席确认</translation>
    </message>
    <message>
        <source>Acknowledged</source>
        <translation>已确认</translation>
    </message>
    <message>
        <source>Disputed</source>
        <translation>已申诉</translation>
    </message>
    <message>
        <source>Dispute answered</source>
        <translation>申诉已答复</translation>
    </message>
    <message>
        <source>Met</source>
        <translation>达标</translation>
    </message>
    <message>
        <source>Missed</source>
        <translation>未达标</translation>
    </message>
    <message>
        <source>N/A</source>
        <translation>不适用</translation>
    </message>
    <message>
        <source>Fail</source>
        <translation>不合格</translation>
    </message>
    <message>
        <source>Pass</source>
        <translation>合格</translation>
    </message>
    <message>
        <source>Score %1 % · %2</source>
        <translation>得分 %1 · %2</translation>
    </message>
    <message>
        <source> — critical item missed: %1</source>
        <translation> — 致命项未达标:%1</translation>
    </message>
</context>
<context>
    <name>QualityWindow</name>
    <message>
        <source>Quality</source>
        <translation>质检</translation>
    </message>
    <message>
        <source>Quality pages</source>
        <translation>质检页面</translation>
    </message>
    <message>
        <source>Score calls</source>
        <translation>通话评分</translation>
    </message>
    <message>
        <source>Evaluations</source>
        <translation>评分记录</translation>
    </message>
    <message>
        <source>My evaluations</source>
        <translation>我的质检评分</translation>
    </message>
    <message>
        <source>Scorecards</source>
        <translation>评分表</translation>
    </message>
    <message>
        <source>Calibration</source>
        <translation>校准</translation>
    </message>
    <message>
        <source>An evaluation changed; the list is read again.</source>
        <translation>有评分发生变化,已重新读取列表。</translation>
    </message>
</context>
<context>
    <name>QuestionDialog</name>
    <message>
        <source>Ask the experts</source>
        <translation>向专家提问</translation>
    </message>
    <message>
        <source>Nothing in the knowledge base answers this? Send the question to the experts. You will be told when it is answered; the answer becomes an article.</source>
        <translation>知识库中找不到答案？请把问题发送给专家。问题解答后会通知您，答案将成为一篇知识库文章。</translation>
    </message>
    <message>
        <source>What the customer asked</source>
        <translation>客户的问题</translation>
    </message>
    <message>
        <source>— no ticket open —</source>
        <translation>— 未打开工单 —</translation>
    </message>
    <message>
        <source>&amp;Question:</source>
        <translation>问题(&amp;Q)：</translation>
    </message>
    <message>
        <source>&amp;Product line:</source>
        <translation>产品线(&amp;P)：</translation>
    </message>
    <message>
        <source>Ticket:</source>
        <translation>工单：</translation>
    </message>
    <message>
        <source>Send to experts</source>
        <translation>发送给专家</translation>
    </message>
    <message>
        <source>Write the question first.</source>
        <translation>请先填写问题。</translation>
    </message>
    <message>
        <source>The question is too long (at most %1 characters).</source>
        <translation>问题过长（最多 %1 个字符）。</translation>
    </message>
</context>
<context>
    <name>QueuesModel</name>
    <message>
        <source>Queue</source>
        <translation>队列</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>排队</translation>
    </message>
    <message>
        <source>Longest wait</source>
        <translation>最长等待</translation>
    </message>
    <message>
        <source>Answered</source>
        <translation>已接听</translation>
    </message>
    <message>
        <source>Abandoned</source>
        <translation>放弃</translation>
    </message>
    <message>
        <source>Service level (%1 s)</source>
        <translation>服务水平（%1 秒）</translation>
    </message>
    <message>
        <source>Answer rate (target %1)</source>
        <translation>接通率（目标 %1）</translation>
    </message>
    <message>
        <source>(no queue)</source>
        <translation>（无队列）</translation>
    </message>
</context>
<context>
    <name>QueuesPage</name>
    <message>
        <source>Queues</source>
        <translation>队列</translation>
    </message>
    <message>
        <source>Queue</source>
        <translation>队列</translation>
    </message>
    <message>
        <source>Wrap-up</source>
        <translation>话后处理</translation>
    </message>
    <message>
        <source>Answered within</source>
        <translation>接听时限</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>目标</translation>
    </message>
    <message>
        <source>Announcement</source>
        <translation>提示音</translation>
    </message>
    <message>
        <source>Centre default</source>
        <translation>中心默认</translation>
    </message>
    <message>
        <source> s</source>
        <translation> 秒</translation>
    </message>
    <message>
        <source> %</source>
        <translation> %</translation>
    </message>
    <message>
        <source>Prompt id or text the PBX plays</source>
        <translation>交换机播放的提示音编号或文字</translation>
    </message>
    <message>
        <source>&amp;Save queue</source>
        <translation>保存队列(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Wrap-up time:</source>
        <translation>话后处理时长(&amp;W)：</translation>
    </message>
    <message>
        <source>Service level: answered &amp;within:</source>
        <translation>服务水平：接听时限(&amp;W)：</translation>
    </message>
    <message>
        <source>Service level &amp;target:</source>
        <translation>服务水平目标(&amp;T)：</translation>
    </message>
    <message>
        <source>&amp;Announcement:</source>
        <translation>提示音(&amp;A)：</translation>
    </message>
    <message>
        <source>This server is too old to set queues from the desk (contract 1.6).</source>
        <translation>此服务器版本过旧，无法在桌面端设置队列（需要接口 1.6）。</translation>
    </message>
    <message>
        <source>default</source>
        <translation>默认</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
</context>
<context>
    <name>RecordedCallPlayer</name>
    <message>
        <source>No recording of this call: type the moment.</source>
        <translation>此通话没有录音:请手动输入时间点。</translation>
    </message>
    <message>
        <source>Looking for this call&apos;s recording…</source>
        <translation>正在查找此通话的录音…</translation>
    </message>
    <message>
        <source>Fetching the recording…</source>
        <translation>正在获取录音…</translation>
    </message>
</context>
<context>
    <name>RecordingDialog</name>
    <message>
        <source>Call recording</source>
        <translation>通话录音</translation>
    </message>
    <message>
        <source>%1 · %2 long · taken by %3 · paused %4 · on hold %5</source>
        <translation>%1 · 时长 %2 · 接听坐席 %3 · 暂停录音 %4 · 保持 %5</translation>
    </message>
</context>
<context>
    <name>RecordingPlayer</name>
    <message>
        <source>Recording player</source>
        <translation>录音播放器</translation>
    </message>
    <message>
        <source>Levels of the agent (top) and the customer (bottom); click to seek</source>
        <translation>坐席（上）与客户（下）的音量；点击可跳转</translation>
    </message>
    <message>
        <source>Position</source>
        <translation>播放位置</translation>
    </message>
    <message>
        <source>Speed</source>
        <translation>播放速度</translation>
    </message>
    <message>
        <source>Top: agent · bottom: customer</source>
        <translation>上：坐席 · 下：客户</translation>
    </message>
    <message>
        <source>paused</source>
        <translation>暂停录音</translation>
    </message>
    <message>
        <source>on hold</source>
        <translation>保持</translation>
    </message>
    <message>
        <source>Top: agent · bottom: customer · shaded: paused or on hold</source>
        <translation>上：坐席 · 下：客户 · 阴影：暂停录音或保持</translation>
    </message>
    <message>
        <source>Agent</source>
        <translation>坐席</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>The recording&apos;s levels could not be read: %1</source>
        <translation>无法读取录音音量：%1</translation>
    </message>
    <message>
        <source>The recording cannot be played: %1</source>
        <translation>无法播放录音：%1</translation>
    </message>
    <message>
        <source>❚❚ Pause</source>
        <translation>❚❚ 暂停</translation>
    </message>
    <message>
        <source>▶ Play</source>
        <translation>▶ 播放</translation>
    </message>
</context>
<context>
    <name>RecordingStatus</name>
    <message>
        <source>Recording</source>
        <translation>录音</translation>
    </message>
    <message>
        <source>Resume rec.</source>
        <translation>恢复录音</translation>
    </message>
    <message>
        <source>Pause rec.</source>
        <translation>暂停录音</translation>
    </message>
    <message>
        <source>Resume the recording</source>
        <translation>恢复录音</translation>
    </message>
    <message>
        <source>Pause the recording (a card number is read out)</source>
        <translation>暂停录音（客户报卡号时）</translation>
    </message>
    <message>
        <source>Not recorded</source>
        <translation>未录音</translation>
    </message>
    <message>
        <source>● REC</source>
        <translation>● 录音中</translation>
    </message>
    <message>
        <source>❚❚ Paused</source>
        <translation>❚❚ 录音已暂停</translation>
    </message>
    <message>
        <source>❚❚ Paused, resumes in %1</source>
        <translation>❚❚ 录音已暂停，%1 后恢复</translation>
    </message>
    <message>
        <source>PBX records</source>
        <translation>交换机录音</translation>
    </message>
    <message>
        <source>no reason given</source>
        <translation>原因未知</translation>
    </message>
    <message>
        <source>Recording failed: %1</source>
        <translation>录音失败：%1</translation>
    </message>
    <message>
        <source>Recording failed</source>
        <translation>录音失败</translation>
    </message>
    <message>
        <source>Recorded</source>
        <translation>已录音</translation>
    </message>
</context>
<context>
    <name>RecordingUploads</name>
    <message>
        <source>The server keeps no call recordings (it is older than this desk): they stay on this PC until it is updated.</source>
        <translation>服务器版本较旧，暂不保存通话录音：录音文件会先保留在本机，待服务器升级后再上传。</translation>
    </message>
    <message>
        <source>A call recording was refused by the server and is kept on this PC: %1</source>
        <translation>服务器拒收了一条通话录音，录音已保留在本机：%1</translation>
    </message>
    <message>
        <source>Call recordings waiting for the server use %1 MB of the %2 MB allowed on this PC. Check the network or call IT before the space runs out.</source>
        <translation>待上传的通话录音已占用本机 %1 MB（上限 %2 MB）。请检查网络或联系 IT，以免空间用尽。</translation>
    </message>
</context>
<context>
    <name>ReportPdf</name>
    <message>
        <source>%1 more rows are in the Excel export.</source>
        <translation>另有 %1 行见 Excel 导出文件。</translation>
    </message>
    <message>
        <source>Made at %1</source>
        <translation>生成于 %1</translation>
    </message>
    <message>
        <source>No calls or tickets match this filter.</source>
        <translation>没有符合此筛选条件的通话或工单。</translation>
    </message>
    <message>
        <source>Nothing to report for this filter.</source>
        <translation>此筛选条件下没有可报告的数据。</translation>
    </message>
    <message>
        <source>the PDF writer produced nothing</source>
        <translation>PDF 写入器没有生成任何内容</translation>
    </message>
</context>
<context>
    <name>ReportReading</name>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>邮件</translation>
    </message>
    <message>
        <source>Web</source>
        <translation>网页</translation>
    </message>
    <message>
        <source>SMS</source>
        <translation>短信</translation>
    </message>
    <message>
        <source>WeChat</source>
        <translation>微信</translation>
    </message>
    <message>
        <source>Customer portal</source>
        <translation>客户服务网站</translation>
    </message>
    <message>
        <source>A report covers at most %1 days; choose a shorter range.</source>
        <translation>一份报表最多覆盖 %1 天；请选择更短的时段。</translation>
    </message>
    <message>
        <source>15-minute periods cover at most %1 days; choose a shorter range or days.</source>
        <translation>按 15 分钟统计最多覆盖 %1 天；请选择更短的时段，或按日统计。</translation>
    </message>
    <message>
        <source>Interval</source>
        <translation>时段</translation>
    </message>
    <message>
        <source>Day</source>
        <translation>日</translation>
    </message>
    <message>
        <source>Week of</source>
        <translation>周（起始日）</translation>
    </message>
    <message>
        <source>Month</source>
        <translation>月</translation>
    </message>
    <message>
        <source>Abandoned &lt; %1 s</source>
        <translation>%1 秒内放弃</translation>
    </message>
    <message>
        <source>Abandoned %1–%2 s</source>
        <translation>%1–%2 秒放弃</translation>
    </message>
    <message>
        <source>Abandoned ≥ %1 s</source>
        <translation>%1 秒及以上放弃</translation>
    </message>
    <message>
        <source>Offered</source>
        <translation>呼入量</translation>
    </message>
    <message>
        <source>Answered</source>
        <translation>已接听</translation>
    </message>
    <message>
        <source>Abandoned</source>
        <translation>放弃</translation>
    </message>
    <message>
        <source>Service level</source>
        <translation>服务水平</translation>
    </message>
    <message>
        <source>Answer rate</source>
        <translation>接通率</translation>
    </message>
    <message>
        <source>Average answer</source>
        <translation>平均应答时长</translation>
    </message>
    <message>
        <source>Outbound</source>
        <translation>呼出</translation>
    </message>
    <message>
        <source>Traffic</source>
        <translation>话务</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>合计</translation>
    </message>
    <message>
        <source>Mon</source>
        <translation>周一</translation>
    </message>
    <message>
        <source>Tue</source>
        <translation>周二</translation>
    </message>
    <message>
        <source>Wed</source>
        <translation>周三</translation>
    </message>
    <message>
        <source>Thu</source>
        <translation>周四</translation>
    </message>
    <message>
        <source>Fri</source>
        <translation>周五</translation>
    </message>
    <message>
        <source>Sat</source>
        <translation>周六</translation>
    </message>
    <message>
        <source>Sun</source>
        <translation>周日</translation>
    </message>
    <message>
        <source>Calls offered by weekday and hour</source>
        <translation>按星期和小时统计的呼入量</translation>
    </message>
    <message>
        <source>Handled</source>
        <translation>已处理</translation>
    </message>
    <message>
        <source>Average talk</source>
        <translation>平均通话时长</translation>
    </message>
    <message>
        <source>Average hold</source>
        <translation>平均保持时长</translation>
    </message>
    <message>
        <source>Average wrap-up</source>
        <translation>平均话后处理时长</translation>
    </message>
    <message>
        <source>Average handle time</source>
        <translation>平均处理时长</translation>
    </message>
    <message>
        <source>Transferred</source>
        <translation>被转接的通话</translation>
    </message>
    <message>
        <source>Transfers</source>
        <translation>转接次数</translation>
    </message>
    <message>
        <source>First-contact resolution</source>
        <translation>首次解决率</translation>
    </message>
    <message>
        <source>Repeat callers</source>
        <translation>重复来电客户</translation>
    </message>
    <message>
        <source>Handling</source>
        <translation>处理</translation>
    </message>
    <message>
        <source>Opened</source>
        <translation>新建</translation>
    </message>
    <message>
        <source>Resolved</source>
        <translation>已解决</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>已超时</translation>
    </message>
    <message>
        <source>SLA compliance</source>
        <translation>时限达标率</translation>
    </message>
    <message>
        <source>Complaints</source>
        <translation>投诉</translation>
    </message>
    <message>
        <source>Escalations</source>
        <translation>升级</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source>Service figures</source>
        <translation>服务指标</translation>
    </message>
    <message>
        <source>Figure</source>
        <translation>指标</translation>
    </message>
    <message>
        <source>Count</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>Share</source>
        <translation>比例</translation>
    </message>
    <message>
        <source>Average (1–5)</source>
        <translation>平均分（1–5）</translation>
    </message>
    <message>
        <source>SLA compliance (resolved tickets)</source>
        <translation>时限达标率（已解决工单）</translation>
    </message>
    <message>
        <source>First visits fixed</source>
        <translation>首次上门修复</translation>
    </message>
    <message>
        <source>Callbacks reached</source>
        <translation>回访接通</translation>
    </message>
    <message>
        <source>Satisfaction</source>
        <translation>满意度</translation>
    </message>
    <message>
        <source>Questions answered from the knowledge base</source>
        <translation>由知识库解答的咨询</translation>
    </message>
    <message>
        <source>Tickets by category</source>
        <translation>按类别统计的工单</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Tickets by model</source>
        <translation>按型号统计的工单</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>型号</translation>
    </message>
    <message>
        <source>Tickets by region</source>
        <translation>按地区统计的工单</translation>
    </message>
    <message>
        <source>Region</source>
        <translation>地区</translation>
    </message>
    <message>
        <source>Agent</source>
        <translation>坐席</translation>
    </message>
    <message>
        <source>Calls handled</source>
        <translation>处理通话数</translation>
    </message>
    <message>
        <source>Inbound</source>
        <translation>呼入</translation>
    </message>
    <message>
        <source>Occupancy</source>
        <translation>占用率</translation>
    </message>
    <message>
        <source>Adherence</source>
        <translation>排班遵从率</translation>
    </message>
    <message>
        <source>QA score %</source>
        <translation>质检得分 %</translation>
    </message>
    <message>
        <source>Evaluations</source>
        <translation>质检次数</translation>
    </message>
    <message>
        <source>Satisfaction (1–5)</source>
        <translation>满意度（1–5）</translation>
    </message>
    <message>
        <source>People</source>
        <translation>人员</translation>
    </message>
    <message>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>15 minutes</source>
        <translation>15 分钟</translation>
    </message>
    <message>
        <source>Week</source>
        <translation>周</translation>
    </message>
    <message>
        <source>Dates</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>By</source>
        <translation>统计粒度</translation>
    </message>
    <message>
        <source>Team</source>
        <translation>团队</translation>
    </message>
    <message>
        <source>Queue</source>
        <translation>队列</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>渠道</translation>
    </message>
    <message>
        <source>Product line</source>
        <translation>产品线</translation>
    </message>
    <message>
        <source>Service level: each queue&apos;s own answer target.</source>
        <translation>服务水平：按各队列自己的应答目标计算。</translation>
    </message>
    <message>
        <source>Service level: answered within %1 s.</source>
        <translation>服务水平：%1 秒内接听。</translation>
    </message>
    <message>
        <source>My figures</source>
        <translation>我的数据</translation>
    </message>
    <message>
        <source>Contact centre report</source>
        <translation>呼叫中心报表</translation>
    </message>
    <message>
        <source>This number has no records to list.</source>
        <translation>该数字没有可列出的记录。</translation>
    </message>
    <message>
        <source>answered</source>
        <translation>已接听</translation>
    </message>
    <message>
        <source>abandoned</source>
        <translation>已放弃</translation>
    </message>
</context>
<context>
    <name>ReportTab</name>
    <message>
        <source>Report chart</source>
        <translation>报表图表</translation>
    </message>
    <message>
        <source>Calls by weekday and hour</source>
        <translation>按星期和小时统计的来电</translation>
    </message>
    <message>
        <source>No calls or tickets match this filter. Widen the dates or choose “All” in a list.</source>
        <translation>没有符合此筛选条件的通话或工单。请放宽日期范围，或在列表中选择“全部”。</translation>
    </message>
</context>
<context>
    <name>ReportWorkbook</name>
    <message>
        <source>Report</source>
        <translation>报表</translation>
    </message>
    <message>
        <source>Made at</source>
        <translation>生成时间</translation>
    </message>
    <message>
        <source>%1 could not be written: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
</context>
<context>
    <name>ReportsService</name>
    <message>
        <source>Not signed in to the server.</source>
        <translation>尚未登录服务器。</translation>
    </message>
    <message>
        <source>This server does not provide reports (it is older than contract 1.8).</source>
        <translation>此服务器不提供报表（其版本早于接口协议 1.8）。</translation>
    </message>
</context>
<context>
    <name>ReportsWindow</name>
    <message>
        <source>My figures</source>
        <translation>我的数据</translation>
    </message>
    <message>
        <source>Reports</source>
        <translation>报表</translation>
    </message>
    <message>
        <source>Traffic</source>
        <translation>话务</translation>
    </message>
    <message>
        <source>Handling</source>
        <translation>处理</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>服务</translation>
    </message>
    <message>
        <source>People</source>
        <translation>人员</translation>
    </message>
    <message>
        <source>Me</source>
        <translation>我的数据</translation>
    </message>
    <message>
        <source>Export to &amp;Excel…</source>
        <translation>导出为 &amp;Excel…</translation>
    </message>
    <message>
        <source>Export to &amp;PDF…</source>
        <translation>导出为 &amp;PDF…</translation>
    </message>
    <message>
        <source>This server does not provide reports (it is older than contract 1.8).</source>
        <translation>此服务器不提供报表（其版本早于接口协议 1.8）。</translation>
    </message>
    <message>
        <source>Reading the figures…</source>
        <translation>正在读取数据…</translation>
    </message>
    <message>
        <source>No calls or tickets match this filter.</source>
        <translation>没有符合此筛选条件的通话或工单。</translation>
    </message>
    <message>
        <source>The reports could not be read: %1</source>
        <translation>无法读取报表：%1</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <source>PDF (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <source>Export the report</source>
        <translation>导出报表</translation>
    </message>
    <message>
        <source>Writing the PDF…</source>
        <translation>正在写入 PDF…</translation>
    </message>
    <message>
        <source>Writing the workbook…</source>
        <translation>正在写入工作簿…</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>已保存 %1</translation>
    </message>
</context>
<context>
    <name>RolesPage</name>
    <message>
        <source>Roles</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Role name</source>
        <translation>角色名称</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Agent</source>
        <translation>坐席</translation>
    </message>
    <message>
        <source>Team lead</source>
        <translation>组长</translation>
    </message>
    <message>
        <source>Administrator</source>
        <translation>管理员</translation>
    </message>
    <message>
        <source>Field engineer</source>
        <translation>现场工程师</translation>
    </message>
    <message>
        <source>Records of</source>
        <translation>可见记录</translation>
    </message>
    <message>
        <source>Own team</source>
        <translation>本团队</translation>
    </message>
    <message>
        <source>Listed teams</source>
        <translation>指定团队</translation>
    </message>
    <message>
        <source>All teams</source>
        <translation>所有团队</translation>
    </message>
    <message>
        <source>Permissions</source>
        <translation>权限</translation>
    </message>
    <message>
        <source>Save role</source>
        <translation>保存角色</translation>
    </message>
    <message>
        <source>New role</source>
        <translation>新建角色</translation>
    </message>
    <message>
        <source>Delete role</source>
        <translation>删除角色</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>A role&apos;s name is 2–40 small letters, digits, &apos;.&apos;, &apos;_&apos; or &apos;-&apos;.</source>
        <translation>角色名称为 2–40 个小写字母、数字、&apos;.&apos;、&apos;_&apos; 或 &apos;-&apos;。</translation>
    </message>
</context>
<context>
    <name>RosterModel</name>
    <message>
        <source>%1 (%2 d)</source>
        <translation>%1（%2 天）</translation>
    </message>
    <message>
        <source>%1 under · %2 over</source>
        <translation>缺 %1 · 超 %2</translation>
    </message>
    <message>
        <source>Intervals of 15 minutes this day with fewer agents than required: %1; with %2 or more agents spare: %3</source>
        <translation>当天人手不足的 15 分钟时段：%1 个；多出 %2 人及以上的时段：%3 个</translation>
    </message>
    <message>
        <source>Mon</source>
        <translation>周一</translation>
    </message>
    <message>
        <source>Tue</source>
        <translation>周二</translation>
    </message>
    <message>
        <source>Wed</source>
        <translation>周三</translation>
    </message>
    <message>
        <source>Thu</source>
        <translation>周四</translation>
    </message>
    <message>
        <source>Fri</source>
        <translation>周五</translation>
    </message>
    <message>
        <source>Sat</source>
        <translation>周六</translation>
    </message>
    <message>
        <source>Sun</source>
        <translation>周日</translation>
    </message>
    <message>
        <source>Changed: the server places the break and lunch when you save.</source>
        <translation>已修改：保存时由服务器安排小休和午餐。</translation>
    </message>
    <message>
        <source>Day off</source>
        <translation>休息</translation>
    </message>
    <message>
        <source>break %1</source>
        <translation>小休 %1</translation>
    </message>
    <message>
        <source>lunch %1</source>
        <translation>午餐 %1</translation>
    </message>
</context>
<context>
    <name>RosterPage</name>
    <message>
        <source>Propose roster</source>
        <translation>生成排班建议</translation>
    </message>
    <message>
        <source>The server finds the roster with the fewest under- and over-staffed intervals</source>
        <translation>由服务器求出人手不足和过剩时段最少的排班</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Publish</source>
        <translation>发布</translation>
    </message>
    <message>
        <source>The team&apos;s agents see their shifts at once</source>
        <translation>团队坐席会立即看到自己的班次</translation>
    </message>
    <message>
        <source>Roster: agents by day</source>
        <translation>排班表：坐席 × 日期</translation>
    </message>
    <message>
        <source>No roster for this week yet: propose one.</source>
        <translation>本周还没有排班：请生成排班建议。</translation>
    </message>
    <message>
        <source>Published (version %1): the agents see it.</source>
        <translation>已发布（第 %1 版）：坐席可以看到。</translation>
    </message>
    <message>
        <source>Proposed by the server (version %1), not published.</source>
        <translation>服务器生成的排班建议（第 %1 版），尚未发布。</translation>
    </message>
    <message>
        <source>Saved, not published (version %1).</source>
        <translation>已保存，未发布（第 %1 版）。</translation>
    </message>
    <message>
        <source>%1 intervals under-staffed, %2 over-staffed.</source>
        <translation>人手不足 %1 个时段，过剩 %2 个时段。</translation>
    </message>
    <message>
        <source>The server is proposing…</source>
        <translation>服务器正在生成排班…</translation>
    </message>
    <message>
        <source>Changed: save or publish to have the coverage counted again.</source>
        <translation>已修改：保存或发布后重新计算覆盖情况。</translation>
    </message>
    <message>
        <source>This week is published: change it in the grid and publish again</source>
        <translation>本周排班已发布：请在表格中修改后重新发布</translation>
    </message>
    <message>
        <source>Day off</source>
        <translation>休息</translation>
    </message>
</context>
<context>
    <name>ScorecardEditor</name>
    <message>
        <source>Scorecard to edit</source>
        <translation>要编辑的评分表</translation>
    </message>
    <message>
        <source>Scorecard name</source>
        <translation>评分表名称</translation>
    </message>
    <message>
        <source>Pass mark</source>
        <translation>合格线</translation>
    </message>
    <message>
        <source>Scorecard items</source>
        <translation>评分表项目</translation>
    </message>
    <message>
        <source>Section</source>
        <translation>分类</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>代码</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>评分项</translation>
    </message>
    <message>
        <source>Weight</source>
        <translation>权重</translation>
    </message>
    <message>
        <source>Critical</source>
        <translation>致命项</translation>
    </message>
    <message>
        <source>N/A allowed</source>
        <translation>允许不适用</translation>
    </message>
    <message>
        <source>&amp;Add item</source>
        <translation>添加项目(&amp;A)</translation>
    </message>
    <message>
        <source>Add an item</source>
        <translation>添加一个项目</translation>
    </message>
    <message>
        <source>&amp;Remove item</source>
        <translation>删除项目(&amp;R)</translation>
    </message>
    <message>
        <source>Remove the chosen item</source>
        <translation>删除选中的项目</translation>
    </message>
    <message>
        <source>&amp;Save scorecard</source>
        <translation>保存评分表(&amp;S)</translation>
    </message>
    <message>
        <source>Save the scorecard as a new version</source>
        <translation>将评分表保存为新版本</translation>
    </message>
    <message>
        <source>&amp;Edit:</source>
        <translation>编辑(&amp;E):</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>名称(&amp;N):</translation>
    </message>
    <message>
        <source>&amp;Pass mark:</source>
        <translation>合格线(&amp;P):</translation>
    </message>
    <message>
        <source>New scorecard</source>
        <translation>新建评分表</translation>
    </message>
    <message>
        <source>General</source>
        <translation>通用</translation>
    </message>
    <message>
        <source>Not saved: %1</source>
        <translation>未保存:%1</translation>
    </message>
</context>
<context>
    <name>ScoringForm</name>
    <message>
        <source>Pick a call to score.</source>
        <translation>请选择要评分的通话。</translation>
    </message>
    <message>
        <source>Scorecard</source>
        <translation>评分表</translation>
    </message>
    <message>
        <source>&amp;Scorecard:</source>
        <translation>评分表(&amp;S):</translation>
    </message>
    <message>
        <source>Items</source>
        <translation>评分项目</translation>
    </message>
    <message>
        <source>Comment to pin</source>
        <translation>要标注的意见</translation>
    </message>
    <message>
        <source>A comment on this moment of the call</source>
        <translation>对通话这一时刻的意见</translation>
    </message>
    <message>
        <source>&amp;Pin at this moment</source>
        <translation>标注在此时刻(&amp;P)</translation>
    </message>
    <message>
        <source>Pin the comment at the player&apos;s moment</source>
        <translation>将意见标注在播放器当前时刻</translation>
    </message>
    <message>
        <source>Pinned comments</source>
        <translation>已标注的意见</translation>
    </message>
    <message>
        <source>Summary for the agent</source>
        <translation>给坐席的总评</translation>
    </message>
    <message>
        <source>Save &amp;draft</source>
        <translation>保存草稿(&amp;D)</translation>
    </message>
    <message>
        <source>Save the evaluation as a draft</source>
        <translation>将评分保存为草稿</translation>
    </message>
    <message>
        <source>S&amp;hare with the agent</source>
        <translation>发布给坐席(&amp;H)</translation>
    </message>
    <message>
        <source>Share the evaluation with the agent</source>
        <translation>将评分发布给坐席</translation>
    </message>
    <message>
        <source>Call %1 · %2 · %3 · %4 s</source>
        <translation>通话 %1 · %2 · %3 · %4 秒</translation>
    </message>
    <message>
        <source>%1 (version %2)</source>
        <translation>%1(第 %2 版)</translation>
    </message>
    <message>
        <source>Met</source>
        <translation>达标</translation>
    </message>
    <message>
        <source>Missed</source>
        <translation>未达标</translation>
    </message>
    <message>
        <source>N/A</source>
        <translation>不适用</translation>
    </message>
    <message>
        <source>%1 (critical: missed fails the call)</source>
        <translation>%1(致命项:未达标则整通不合格)</translation>
    </message>
    <message>
        <source>%1 · weight %2</source>
        <translation>%1 · 权重 %2</translation>
    </message>
</context>
<context>
    <name>SessionService</name>
    <message>
        <source>Signed in, but the sign-in could not be remembered: %1</source>
        <translation>已登录，但无法记住登录状态：%1</translation>
    </message>
    <message>
        <source>Signed in to %1.</source>
        <translation>已登录到 %1。</translation>
    </message>
    <message>
        <source>Update needed soon: this desk (version %1) will no longer work with the server from %2. Ask IT to update Agent Workstation; your work is kept.</source>
        <translation>即将需要更新：本工作台（版本 %1）自 %2 起将无法再连接服务器。请联系 IT 更新坐席工作台；您的工作内容会保留。</translation>
    </message>
    <message>
        <source>Update needed soon: this desk (version %1) will no longer work with the server after its next upgrade. Ask IT to update Agent Workstation; your work is kept.</source>
        <translation>即将需要更新：服务器下次升级后，本工作台（版本 %1）将无法再连接。请联系 IT 更新坐席工作台；您的工作内容会保留。</translation>
    </message>
    <message>
        <source>A newer Agent Workstation (%1) is available; this desk is %2. Ask IT to update it when convenient.</source>
        <translation>坐席工作台有新版本（%1）；本工作台为 %2。请在方便时联系 IT 更新。</translation>
    </message>
    <message>
        <source>This PC&apos;s clock is %1 min behind the server&apos;s: the desk uses the server&apos;s time. Ask IT to set the PC&apos;s clock.</source>
        <translation>本机时钟比服务器慢 %1 分钟：工作台已改用服务器时间。请联系 IT 校准本机时钟。</translation>
    </message>
    <message>
        <source>This PC&apos;s clock is %1 min ahead of the server&apos;s: the desk uses the server&apos;s time. Ask IT to set the PC&apos;s clock.</source>
        <translation>本机时钟比服务器快 %1 分钟：工作台已改用服务器时间。请联系 IT 校准本机时钟。</translation>
    </message>
</context>
<context>
    <name>SheetModel</name>
    <message>
        <source>Double-click or press Enter to list the calls and tickets behind it</source>
        <translation>双击或按回车键，列出其对应的通话和工单</translation>
    </message>
</context>
<context>
    <name>ShortcutNames</name>
    <message>
        <source>Answer the ringing call</source>
        <translation>接听来电</translation>
    </message>
    <message>
        <source>Decline the ringing call</source>
        <translation>拒接来电</translation>
    </message>
    <message>
        <source>Hang up</source>
        <translation>挂断</translation>
    </message>
    <message>
        <source>Hold / resume</source>
        <translation>保持 / 恢复</translation>
    </message>
    <message>
        <source>Mute / unmute</source>
        <translation>静音 / 取消静音</translation>
    </message>
    <message>
        <source>Transfer the call…</source>
        <translation>转接通话…</translation>
    </message>
    <message>
        <source>Pause / resume the call&apos;s recording</source>
        <translation>暂停 / 恢复通话录音</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <source>Not ready (choose a reason)…</source>
        <translation>未就绪（选择原因）…</translation>
    </message>
    <message>
        <source>Wrap-up done</source>
        <translation>完成话后处理</translation>
    </message>
    <message>
        <source>New ticket for the customer on screen</source>
        <translation>为当前客户新建工单</translation>
    </message>
    <message>
        <source>Go to the customer 360</source>
        <translation>转到客户 360</translation>
    </message>
    <message>
        <source>Search the knowledge base</source>
        <translation>搜索知识库</translation>
    </message>
    <message>
        <source>Go to Tickets</source>
        <translation>转到工单</translation>
    </message>
    <message>
        <source>Go to Dispatch</source>
        <translation>转到派工</translation>
    </message>
    <message>
        <source>Go to Callbacks</source>
        <translation>转到回访</translation>
    </message>
    <message>
        <source>Show or hide the phone</source>
        <translation>显示或隐藏电话</translation>
    </message>
    <message>
        <source>Show or hide the customer 360</source>
        <translation>显示或隐藏客户 360</translation>
    </message>
    <message>
        <source>Colleague directory</source>
        <translation>同事通讯录</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>立即同步</translation>
    </message>
    <message>
        <source>Reports</source>
        <translation>报表</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
    <message>
        <source>Workforce planning (shift patterns, staffing, roster)</source>
        <translation>排班管理（班次模板、人力需求、排班表）</translation>
    </message>
    <message>
        <source>My shifts</source>
        <translation>我的班次</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>Call</source>
        <translation>通话</translation>
    </message>
    <message>
        <source>Your state</source>
        <translation>您的状态</translation>
    </message>
    <message>
        <source>Work</source>
        <translation>工作</translation>
    </message>
    <message>
        <source>Window</source>
        <translation>窗口</translation>
    </message>
</context>
<context>
    <name>ShortcutsDialog</name>
    <message>
        <source>Change keyboard shortcuts</source>
        <translation>更改键盘快捷键</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>按键</translation>
    </message>
    <message>
        <source>&amp;Set</source>
        <translation>设置(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;No key</source>
        <translation>不设按键(&amp;N)</translation>
    </message>
    <message>
        <source>New &amp;keys for the selected action:</source>
        <translation>所选操作的新按键(&amp;K)：</translation>
    </message>
    <message>
        <source>Answer and hang up from any application (system-wide keys)</source>
        <translation>在任何应用程序中接听和挂断（全局快捷键）</translation>
    </message>
    <message>
        <source>The answer and hang-up keys work while another program is in front.</source>
        <translation>其他程序位于前台时，接听和挂断快捷键仍然有效。</translation>
    </message>
    <message>
        <source>System-wide keys</source>
        <translation>全局快捷键</translation>
    </message>
    <message>
        <source>%1 is already the key for “%2”.</source>
        <translation>%1 已是“%2”的按键。</translation>
    </message>
</context>
<context>
    <name>SkillsPage</name>
    <message>
        <source>Skill catalogue</source>
        <translation>技能目录</translation>
    </message>
    <message>
        <source>Add to &amp;catalogue</source>
        <translation>加入目录(&amp;C)</translation>
    </message>
    <message>
        <source>Skills and levels</source>
        <translation>技能与等级</translation>
    </message>
    <message>
        <source>Skill</source>
        <translation>技能</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>等级</translation>
    </message>
    <message>
        <source>Skill to give</source>
        <translation>要授予的技能</translation>
    </message>
    <message>
        <source>&amp;Set level</source>
        <translation>设置等级(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Remove skill</source>
        <translation>移除技能(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Save skills</source>
        <translation>保存技能(&amp;S)</translation>
    </message>
    <message>
        <source>S&amp;kill:</source>
        <translation>技能(&amp;K)：</translation>
    </message>
    <message>
        <source>&amp;Description:</source>
        <translation>说明(&amp;D)：</translation>
    </message>
    <message>
        <source>&amp;Person:</source>
        <translation>人员(&amp;P)：</translation>
    </message>
    <message>
        <source>This server is too old to keep a skill catalogue (contract 1.6).</source>
        <translation>此服务器版本过旧，不支持技能目录（需要接口 1.6）。</translation>
    </message>
    <message>
        <source>%1 (%2 people)</source>
        <translation>%1（%2 人）</translation>
    </message>
    <message>
        <source>Give the skill a name.</source>
        <translation>请填写技能名称。</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
</context>
<context>
    <name>SlaAdminService</name>
    <message>
        <source>Not signed in to the server.</source>
        <translation>未登录服务器。</translation>
    </message>
</context>
<context>
    <name>StaffingChart</name>
    <message>
        <source>Calls forecast per 15 minutes</source>
        <translation>每 15 分钟预测话务量</translation>
    </message>
    <message>
        <source>Agents required and scheduled</source>
        <translation>所需坐席与已排坐席</translation>
    </message>
    <message>
        <source>Required</source>
        <translation>所需</translation>
    </message>
    <message>
        <source>Scheduled</source>
        <translation>已排</translation>
    </message>
    <message>
        <source>Under-staffed</source>
        <translation>人手不足</translation>
    </message>
    <message>
        <source>Over-staffed</source>
        <translation>人手过剩</translation>
    </message>
    <message>
        <source>Mon</source>
        <translation>周一</translation>
    </message>
    <message>
        <source>Tue</source>
        <translation>周二</translation>
    </message>
    <message>
        <source>Wed</source>
        <translation>周三</translation>
    </message>
    <message>
        <source>Thu</source>
        <translation>周四</translation>
    </message>
    <message>
        <source>Fri</source>
        <translation>周五</translation>
    </message>
    <message>
        <source>Sat</source>
        <translation>周六</translation>
    </message>
    <message>
        <source>Sun</source>
        <translation>周日</translation>
    </message>
</context>
<context>
    <name>StaffingPage</name>
    <message>
        <source> s</source>
        <translation> 秒</translation>
    </message>
    <message>
        <source>Calculate</source>
        <translation>计算</translation>
    </message>
    <message>
        <source>Service level target</source>
        <translation>服务水平目标</translation>
    </message>
    <message>
        <source>Answered within</source>
        <translation>接听时限</translation>
    </message>
    <message>
        <source>Average handle time</source>
        <translation>平均处理时长</translation>
    </message>
    <message>
        <source>Shrinkage (breaks, training, absence)</source>
        <translation>缩减率（休息、培训、缺勤）</translation>
    </message>
    <message>
        <source>The week: about %1 calls forecast; at the peak %2 agents to schedule.</source>
        <translation>本周预测约 %1 通来电；高峰时需排 %2 名坐席。</translation>
    </message>
    <message>
        <source>The roster leaves %1 intervals under-staffed and %2 over-staffed.</source>
        <translation>按此排班，人手不足 %1 个时段，过剩 %2 个时段。</translation>
    </message>
    <message>
        <source>No roster for this week yet.</source>
        <translation>本周还没有排班。</translation>
    </message>
    <message>
        <source>Too little history (%1 days) to measure the forecast&apos;s error yet.</source>
        <translation>历史数据太少（%1 天），还无法衡量预测误差。</translation>
    </message>
    <message>
        <source>The forecast beats the naive one.</source>
        <translation>本预测优于简单预测。</translation>
    </message>
    <message>
        <source>The forecast does NOT beat the naive one: treat it with care.</source>
        <translation>本预测不如简单预测：请谨慎使用。</translation>
    </message>
    <message>
        <source>Forecast error on the held-out days %1 – %2: per 15 minutes %3 % (naive forecast from the same weekday of the last 4 weeks: %4 %); per day %5 % on average, %6 % at worst (naive: %7 %, %8 %). %9</source>
        <translation>在留出检验的 %1 – %2 期间，预测误差：每 15 分钟 %3 %（简单预测，即前 4 周同一星期几的平均：%4 %）；按天平均 %5 %，最差 %6 %（简单预测：%7 %，%8 %）。%9</translation>
    </message>
    <message>
        <source>%1 is a public holiday (%2).</source>
        <translation>%1 是法定节假日（%2）。</translation>
    </message>
    <message>
        <source>%1 is a working day in exchange for a holiday (调休).</source>
        <translation>%1 是调休上班日。</translation>
    </message>
    <message>
        <source>The holiday calendar has no data from %1: holidays and adjusted working days are unknown there and forecast as ordinary days.</source>
        <translation>节假日日历没有 %1 之后的数据：那段时间的节假日和调休未知，按普通日期预测。</translation>
    </message>
    <message>
        <source>No public holiday this week.</source>
        <translation>本周没有法定节假日。</translation>
    </message>
</context>
<context>
    <name>SyncService</name>
    <message>
        <source>The local copy of your data could not be used and is being downloaded again. (%1)</source>
        <translation>本地数据副本无法使用，正在重新下载。（%1）</translation>
    </message>
    <message>
        <source>The server cannot be reached: this desk uses the centre&apos;s settings it had last (reason codes, wrap-up times, queues). They update when it answers.</source>
        <translation>无法连接服务器：本桌面使用上次获得的中心设置（原因代码、话后处理时长、队列），服务器恢复后自动更新。</translation>
    </message>
    <message>
        <source>The local cache cannot be opened: %1. Working online only.</source>
        <translation>无法打开本地缓存：%1。仅在线工作。</translation>
    </message>
    <message>
        <source>The local cache is not open yet.</source>
        <translation>本地缓存尚未打开。</translation>
    </message>
</context>
<context>
    <name>SynonymsDialog</name>
    <message>
        <source>Knowledge base synonyms</source>
        <translation>知识库同义词</translation>
    </message>
    <message>
        <source>When an agent types a spoken form, the search also looks for the words the articles use. Common spoken forms are built in; the centre&apos;s own are listed here and reach every desk.</source>
        <translation>坐席输入口语说法时，搜索也会查找文章中使用的用词。常见口语说法已内置；本中心自己添加的列在这里，并会同步到每个工作台。</translation>
    </message>
    <message>
        <source>e.g. 夹纸</source>
        <translation>例如：夹纸</translation>
    </message>
    <message>
        <source>e.g. 卡纸, 进纸</source>
        <translation>例如：卡纸，进纸</translation>
    </message>
    <message>
        <source>Agents &amp;type:</source>
        <translation>坐席输入(&amp;T)：</translation>
    </message>
    <message>
        <source>&amp;Articles say:</source>
        <translation>文章用词(&amp;A)：</translation>
    </message>
    <message>
        <source>&amp;Add</source>
        <translation>添加(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;New</source>
        <translation>新建(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation>删除(&amp;R)</translation>
    </message>
    <message>
        <source>The centre&apos;s synonyms</source>
        <translation>本中心的同义词</translation>
    </message>
    <message>
        <source>Agents type</source>
        <translation>坐席输入</translation>
    </message>
    <message>
        <source>Articles say</source>
        <translation>文章用词</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>保存(&amp;S)</translation>
    </message>
    <message>
        <source>Type the spoken form agents use.</source>
        <translation>请输入坐席使用的口语说法。</translation>
    </message>
    <message>
        <source>Name at least one word the articles use.</source>
        <translation>请至少填写一个文章中使用的词。</translation>
    </message>
    <message>
        <source>“%1” is in the table already: select it to change it.</source>
        <translation>“%1”已在表中：请选中它再修改。</translation>
    </message>
</context>
<context>
    <name>TaskTableModel</name>
    <message>
        <source>Campaign call</source>
        <translation>外呼活动</translation>
    </message>
    <message>
        <source>Survey</source>
        <translation>满意度调查</translation>
    </message>
    <message>
        <source>Callback</source>
        <translation>回访</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>待处理</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>Unreachable</source>
        <translation>无法联系</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>Waiting to sync</source>
        <translation>待同步</translation>
    </message>
    <message>
        <source>Conflict</source>
        <translation>冲突</translation>
    </message>
    <message>
        <source>Refused</source>
        <translation>被拒绝</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>到期</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Contact</source>
        <translation>联系人</translation>
    </message>
    <message>
        <source>Ticket</source>
        <translation>工单</translation>
    </message>
    <message>
        <source>Tries</source>
        <translation>尝试次数</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Sync</source>
        <translation>同步</translation>
    </message>
    <message>
        <source>Overdue since %1</source>
        <translation>自 %1 起逾期</translation>
    </message>
</context>
<context>
    <name>TeamPoliciesPage</name>
    <message>
        <source>Every resolved ticket</source>
        <translation>所有已解决工单</translation>
    </message>
    <message>
        <source>Complaints only</source>
        <translation>仅投诉</translation>
    </message>
    <message>
        <source>None</source>
        <translation>不回访</translation>
    </message>
    <message>
        <source> h</source>
        <translation> 小时</translation>
    </message>
    <message>
        <source>&amp;Save policy</source>
        <translation>保存策略(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Team:</source>
        <translation>团队(&amp;T)：</translation>
    </message>
    <message>
        <source>Survey &amp;after:</source>
        <translation>回访范围(&amp;A)：</translation>
    </message>
    <message>
        <source>&amp;Hours after resolving:</source>
        <translation>解决后间隔小时数(&amp;H)：</translation>
    </message>
    <message>
        <source>This server is too old to set team policies from the desk (contract 1.6).</source>
        <translation>此服务器版本过旧，无法在桌面端设置团队策略（需要接口 1.6）。</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
</context>
<context>
    <name>TeamsPage</name>
    <message>
        <source>Team</source>
        <translation>团队</translation>
    </message>
    <message>
        <source>Members</source>
        <translation>成员数</translation>
    </message>
    <message>
        <source>Teams</source>
        <translation>团队</translation>
    </message>
    <message>
        <source>New team&apos;s name</source>
        <translation>新团队名称</translation>
    </message>
    <message>
        <source>Create team</source>
        <translation>创建团队</translation>
    </message>
    <message>
        <source>Give the new team a name.</source>
        <translation>请为新团队命名。</translation>
    </message>
</context>
<context>
    <name>ThresholdsDialog</name>
    <message>
        <source>Alert thresholds</source>
        <translation>告警阈值</translation>
    </message>
    <message>
        <source>Calls waiting more than</source>
        <translation>排队来电超过</translation>
    </message>
    <message>
        <source>Longest wait beyond</source>
        <translation>最长等待超过</translation>
    </message>
    <message>
        <source> s</source>
        <translation> 秒</translation>
    </message>
    <message>
        <source>Service level below</source>
        <translation>服务水平低于</translation>
    </message>
    <message>
        <source>Not ready longer than</source>
        <translation>未就绪超过</translation>
    </message>
    <message>
        <source> min</source>
        <translation> 分钟</translation>
    </message>
    <message>
        <source> h</source>
        <translation> 小时</translation>
    </message>
    <message>
        <source>A complaint&apos;s deadline within</source>
        <translation>投诉距时限不足</translation>
    </message>
    <message>
        <source>Service level counts calls answered within</source>
        <translation>服务水平统计的接听时限</translation>
    </message>
</context>
<context>
    <name>TicketForm</name>
    <message>
        <source>Subcategory</source>
        <translation>子类别</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>描述</translation>
    </message>
    <message>
        <source>Call</source>
        <translation>呼叫</translation>
    </message>
    <message>
        <source>Call this contact</source>
        <translation>呼叫此联系人</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Email</source>
        <translation>电子邮件</translation>
    </message>
    <message>
        <source>Web</source>
        <translation>网页</translation>
    </message>
    <message>
        <source>SMS</source>
        <translation>短信</translation>
    </message>
    <message>
        <source>WeChat</source>
        <translation>微信</translation>
    </message>
    <message>
        <source>Customer portal</source>
        <translation>客户服务网站</translation>
    </message>
    <message>
        <source>High</source>
        <translation>高</translation>
    </message>
    <message>
        <source>Medium</source>
        <translation>中</translation>
    </message>
    <message>
        <source>Low</source>
        <translation>低</translation>
    </message>
    <message>
        <source>P1 — resolve within 4 h</source>
        <translation>P1 — 4 小时内解决</translation>
    </message>
    <message>
        <source>P2 — within 24 h</source>
        <translation>P2 — 24 小时内</translation>
    </message>
    <message>
        <source>P3 — within 3 days</source>
        <translation>P3 — 3 天内</translation>
    </message>
    <message>
        <source>P4 — within 7 days</source>
        <translation>P4 — 7 天内</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>请选择…</translation>
    </message>
    <message>
        <source>Complaint (response clock, escalates)</source>
        <translation>投诉（计响应时限，超时升级）</translation>
    </message>
    <message>
        <source>Nobody yet</source>
        <translation>暂未指定</translation>
    </message>
    <message>
        <source>What is wrong, in one line</source>
        <translation>一句话描述问题</translation>
    </message>
    <message>
        <source>What the customer said, what was checked, what was done</source>
        <translation>客户描述、已检查内容、已采取的措施</translation>
    </message>
    <message>
        <source>Ticket</source>
        <translation>工单</translation>
    </message>
    <message>
        <source>Calls, articles, files</source>
        <translation>通话、文章、附件</translation>
    </message>
    <message>
        <source>History</source>
        <translation>历史</translation>
    </message>
    <message>
        <source>Hand over to expert…</source>
        <translation>移交专家…</translation>
    </message>
    <message>
        <source>Dispatch engineer…</source>
        <translation>派工…</translation>
    </message>
    <message>
        <source>Reply by email…</source>
        <translation>邮件回复…</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Move to:</source>
        <translation>变更状态：</translation>
    </message>
    <message>
        <source>Customer:</source>
        <translation>客户：</translation>
    </message>
    <message>
        <source>C&amp;ontact:</source>
        <translation>联系人(&amp;O)：</translation>
    </message>
    <message>
        <source>&amp;Product:</source>
        <translation>产品(&amp;P)：</translation>
    </message>
    <message>
        <source>&amp;Category:</source>
        <translation>类别(&amp;C)：</translation>
    </message>
    <message>
        <source>&amp;Handler:</source>
        <translation>处理人(&amp;H)：</translation>
    </message>
    <message>
        <source>&amp;Summary:</source>
        <translation>摘要(&amp;S)：</translation>
    </message>
    <message>
        <source>Cha&amp;nnel:</source>
        <translation>渠道(&amp;N)：</translation>
    </message>
    <message>
        <source>So&amp;urce:</source>
        <translation>来源(&amp;U)：</translation>
    </message>
    <message>
        <source>&amp;Urgency:</source>
        <translation>紧急程度(&amp;U)：</translation>
    </message>
    <message>
        <source>P&amp;riority:</source>
        <translation>优先级(&amp;R)：</translation>
    </message>
    <message>
        <source>Service level</source>
        <translation>服务水平</translation>
    </message>
    <message>
        <source>Response due:</source>
        <translation>响应时限：</translation>
    </message>
    <message>
        <source>Resolve by:</source>
        <translation>解决时限：</translation>
    </message>
    <message>
        <source>Escalation:</source>
        <translation>升级：</translation>
    </message>
    <message>
        <source>Details:</source>
        <translation>详情：</translation>
    </message>
    <message>
        <source>Linked calls</source>
        <translation>关联通话</translation>
    </message>
    <message>
        <source>Linked articles</source>
        <translation>关联文章</translation>
    </message>
    <message>
        <source>Unlink article</source>
        <translation>取消关联文章</translation>
    </message>
    <message>
        <source>Attachments</source>
        <translation>附件</translation>
    </message>
    <message>
        <source>Attach file…</source>
        <translation>添加附件…</translation>
    </message>
    <message>
        <source>Remove file</source>
        <translation>删除附件</translation>
    </message>
    <message>
        <source>Calls linked to this ticket:</source>
        <translation>此工单关联的通话：</translation>
    </message>
    <message>
        <source>Knowledge articles used:</source>
        <translation>引用的知识库文章：</translation>
    </message>
    <message>
        <source>Attachments (name and size are shared; the file stays on this PC):</source>
        <translation>附件（只共享文件名和大小，文件本身保留在本机）：</translation>
    </message>
    <message>
        <source>Ticket history</source>
        <translation>工单历史</translation>
    </message>
    <message>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>操作人</translation>
    </message>
    <message>
        <source>What</source>
        <translation>字段</translation>
    </message>
    <message>
        <source>From</source>
        <translation>原值</translation>
    </message>
    <message>
        <source>To</source>
        <translation>新值</translation>
    </message>
    <message>
        <source>(general)</source>
        <translation>（通用）</translation>
    </message>
    <message>
        <source>This ticket is no longer on this PC.</source>
        <translation>本机上已没有此工单。</translation>
    </message>
    <message>
        <source>Ticket %1</source>
        <translation>工单 %1</translation>
    </message>
    <message>
        <source>New ticket</source>
        <translation>新建工单</translation>
    </message>
    <message>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <source>— no product —</source>
        <translation>— 无产品 —</translation>
    </message>
    <message>
        <source>Only a team lead reassigns; hand over to an expert instead.</source>
        <translation>只有组长才能改派；请改为移交专家。</translation>
    </message>
    <message>
        <source>Call in</source>
        <translation>呼入</translation>
    </message>
    <message>
        <source>Call out</source>
        <translation>呼出</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 分 %2 秒</translation>
    </message>
    <message>
        <source>This call (linked when you finish the wrap-up).</source>
        <translation>本次通话（话后处理完成后关联）。</translation>
    </message>
    <message>
        <source>No call linked.</source>
        <translation>未关联通话。</translation>
    </message>
    <message>
        <source>Reopen</source>
        <translation>重新打开</translation>
    </message>
    <message>
        <source>Start work</source>
        <translation>开始处理</translation>
    </message>
    <message>
        <source>Resume work</source>
        <translation>继续处理</translation>
    </message>
    <message>
        <source>Wait for customer</source>
        <translation>等待客户</translation>
    </message>
    <message>
        <source>Escalate</source>
        <translation>升级</translation>
    </message>
    <message>
        <source>Resolve</source>
        <translation>解决</translation>
    </message>
    <message>
        <source>Close ticket</source>
        <translation>关闭工单</translation>
    </message>
    <message>
        <source>Cancel ticket</source>
        <translation>取消工单</translation>
    </message>
    <message>
        <source>not saved yet</source>
        <translation>尚未保存</translation>
    </message>
    <message>
        <source>Saved on this PC; waiting to sync with the server.</source>
        <translation>已保存在本机，等待与服务器同步。</translation>
    </message>
    <message>
        <source>Someone else changed this ticket too: settle it in the conflict dialog (status bar) before further changes.</source>
        <translation>其他人也修改了此工单：请先在冲突对话框（状态栏）中解决冲突，再继续修改。</translation>
    </message>
    <message>
        <source>The server refused the last change: %1</source>
        <translation>服务器拒绝了上次修改：%1</translation>
    </message>
    <message>
        <source>Saved on this PC with its number; the server gets it when online.</source>
        <translation>已连同工单号保存在本机，联网后发送到服务器。</translation>
    </message>
    <message>
        <source>— (complaints only)</source>
        <translation>—（仅限投诉）</translation>
    </message>
    <message>
        <source>set when saved</source>
        <translation>保存时设定</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>handed over to %1</source>
        <translation>已移交给 %1</translation>
    </message>
    <message>
        <source>escalated to %1</source>
        <translation>已升级至 %1</translation>
    </message>
    <message>
        <source>the next level</source>
        <translation>下一级</translation>
    </message>
    <message>
        <source>level %1 (who and when: shown when online)</source>
        <translation>%1 级（升级对象和时间联网后显示）</translation>
    </message>
    <message>
        <source>not escalated</source>
        <translation>未升级</translation>
    </message>
    <message>
        <source>The history is kept on the server; it is shown when online.</source>
        <translation>历史记录保存在服务器上，联网后显示。</translation>
    </message>
    <message>
        <source>system</source>
        <translation>系统</translation>
    </message>
    <message>
        <source>Email received</source>
        <translation>收到邮件</translation>
    </message>
    <message>
        <source>Email sent</source>
        <translation>已发邮件</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>This ticket changed on the server while you were editing; your changes are checked against it when you save.</source>
        <translation>您编辑期间此工单已在服务器上被修改；保存时会将您的修改与服务器版本核对。</translation>
    </message>
    <message>
        <source>At most %1 attachments.</source>
        <translation>最多 %1 个附件。</translation>
    </message>
    <message>
        <source>The file cannot be read: %1</source>
        <translation>无法读取文件：%1</translation>
    </message>
    <message>
        <source>Attach a file</source>
        <translation>添加附件</translation>
    </message>
    <message>
        <source>Say in one line what is wrong.</source>
        <translation>请用一句话描述问题。</translation>
    </message>
    <message>
        <source>At most %1 characters (now %2).</source>
        <translation>最多 %1 个字符（当前 %2 个）。</translation>
    </message>
    <message>
        <source>The details are too long (%1 characters; at most %2).</source>
        <translation>详情过长（%1 个字符；最多 %2 个）。</translation>
    </message>
    <message>
        <source>Choose a category.</source>
        <translation>请选择类别。</translation>
    </message>
    <message>
        <source>At most %1 characters.</source>
        <translation>最多 %1 个字符。</translation>
    </message>
    <message>
        <source>A complaint must have a handler.</source>
        <translation>投诉必须指定处理人。</translation>
    </message>
    <message>
        <source>The server has no email channel (it is older than this desk).</source>
        <translation>服务器没有邮件渠道（服务器版本比本工作台旧）。</translation>
    </message>
    <message>
        <source>The ticket is not on the server yet.</source>
        <translation>服务单尚未同步到服务器。</translation>
    </message>
</context>
<context>
    <name>TicketTableModel</name>
    <message>
        <source>New</source>
        <translation>新建</translation>
    </message>
    <message>
        <source>In progress</source>
        <translation>处理中</translation>
    </message>
    <message>
        <source>Waiting on customer</source>
        <translation>等待客户</translation>
    </message>
    <message>
        <source>Escalated</source>
        <translation>已升级</translation>
    </message>
    <message>
        <source>Resolved</source>
        <translation>已解决</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>已关闭</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>工单号</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>摘要</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>优先级</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>渠道</translation>
    </message>
    <message>
        <source>Handler</source>
        <translation>处理人</translation>
    </message>
    <message>
        <source>Opened</source>
        <translation>创建时间</translation>
    </message>
    <message>
        <source>Response due</source>
        <translation>响应时限</translation>
    </message>
    <message>
        <source>Resolve by</source>
        <translation>解决时限</translation>
    </message>
    <message>
        <source>Sync</source>
        <translation>同步</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Email</source>
        <translation>邮件</translation>
    </message>
    <message>
        <source>Web</source>
        <translation>网页</translation>
    </message>
    <message>
        <source>SMS</source>
        <translation>短信</translation>
    </message>
    <message>
        <source>WeChat</source>
        <translation>微信</translation>
    </message>
    <message>
        <source>Portal</source>
        <translation>服务网站</translation>
    </message>
    <message>
        <source>Complaint</source>
        <translation>投诉</translation>
    </message>
    <message>
        <source>level %1</source>
        <translation>%1 级</translation>
    </message>
    <message>
        <source>waiting to sync</source>
        <translation>待同步</translation>
    </message>
    <message>
        <source>conflict</source>
        <translation>冲突</translation>
    </message>
    <message>
        <source>refused</source>
        <translation>被拒绝</translation>
    </message>
</context>
<context>
    <name>TicketsPanel</name>
    <message>
        <source>My tickets</source>
        <translation>我的工单</translation>
    </message>
    <message>
        <source>Team queue</source>
        <translation>本组队列</translation>
    </message>
    <message>
        <source>Email waiting</source>
        <translation>待处理邮件</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>已超时</translation>
    </message>
    <message>
        <source>Complaints</source>
        <translation>投诉</translation>
    </message>
    <message>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>Search: ticket number, customer, serial number, model, summary</source>
        <translation>搜索：工单号、客户、序列号、型号、摘要</translation>
    </message>
    <message>
        <source>New ticket…</source>
        <translation>新建工单…</translation>
    </message>
    <message>
        <source>Open a customer (or take a call) first</source>
        <translation>请先打开客户（或接听来电）</translation>
    </message>
    <message>
        <source>Search tickets</source>
        <translation>搜索工单</translation>
    </message>
    <message>
        <source>Tickets</source>
        <translation>工单</translation>
    </message>
    <message>
        <source>%1 of %2 tickets</source>
        <translation>%1 / %2 张工单</translation>
    </message>
</context>
<context>
    <name>UnsentDialog</name>
    <message>
        <source>Changes the server refused</source>
        <translation>服务器拒绝的修改</translation>
    </message>
    <message>
        <source>The server did not accept these changes. Correct the field it names and resend, or discard the change. Your other changes are not held up.</source>
        <translation>服务器未接受这些修改。请更正其指出的字段后重新发送，或放弃该修改。您的其他修改不受影响。</translation>
    </message>
    <message>
        <source>Resend</source>
        <translation>重新发送</translation>
    </message>
    <message>
        <source>Discard change</source>
        <translation>放弃修改</translation>
    </message>
    <message>
        <source>New %1</source>
        <translation>新%1</translation>
    </message>
    <message>
        <source>Deletion of %1</source>
        <translation>删除%1</translation>
    </message>
    <message>
        <source>Change to %1 #%2</source>
        <translation>修改%1 #%2</translation>
    </message>
    <message>
        <source>Nothing is waiting for you here.</source>
        <translation>这里没有需要您处理的内容。</translation>
    </message>
    <message>
        <source>%1 must be a whole number.</source>
        <translation>%1 必须是整数。</translation>
    </message>
</context>
<context>
    <name>UsersPage</name>
    <message>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Team</source>
        <translation>团队</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Users</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Role to give</source>
        <translation>要授予的角色</translation>
    </message>
    <message>
        <source>Give role</source>
        <translation>授予角色</translation>
    </message>
    <message>
        <source>Team to move to</source>
        <translation>调往的团队</translation>
    </message>
    <message>
        <source>Move to team</source>
        <translation>调至团队</translation>
    </message>
    <message>
        <source>Disable</source>
        <translation>停用</translation>
    </message>
    <message>
        <source>Reset password</source>
        <translation>重置密码</translation>
    </message>
    <message>
        <source>Sign out everywhere</source>
        <translation>全部退出登录</translation>
    </message>
    <message>
        <source>New user</source>
        <translation>新用户</translation>
    </message>
    <message>
        <source>Create user</source>
        <translation>创建用户</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>启用</translation>
    </message>
    <message>
        <source>Disabled</source>
        <translation>已停用</translation>
    </message>
    <message>
        <source>(no team)</source>
        <translation>（无团队）</translation>
    </message>
    <message>
        <source>Temporary password for %1: %2 — give it to them now; it is not shown again. They choose their own at the next sign-in.</source>
        <translation>%1 的临时密码：%2 —— 请现在交给对方；它不会再次显示。对方下次登录时设置自己的密码。</translation>
    </message>
    <message>
        <source>Enable</source>
        <translation>启用</translation>
    </message>
    <message>
        <source>A user name (letters, digits, . _ -) and a name are needed.</source>
        <translation>需要用户名（字母、数字、. _ -）和姓名。</translation>
    </message>
    <message>
        <source>%1 now has the role %2.</source>
        <translation>%1 现在的角色是 %2。</translation>
    </message>
    <message>
        <source>%1 moved to %2.</source>
        <translation>%1 已调至 %2。</translation>
    </message>
    <message>
        <source>%1 is disabled and signed out.</source>
        <translation>%1 已停用并退出登录。</translation>
    </message>
    <message>
        <source>%1 is enabled.</source>
        <translation>%1 已启用。</translation>
    </message>
</context>
<context>
    <name>VisitReportDialog</name>
    <message>
        <source>Visit report</source>
        <translation>服务报告</translation>
    </message>
    <message>
        <source>Loading the visit…</source>
        <translation>正在加载服务记录…</translation>
    </message>
    <message>
        <source>&amp;Resolved</source>
        <translation>已解决(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Partly resolved</source>
        <translation>部分解决(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Not resolved</source>
        <translation>未解决(&amp;N)</translation>
    </message>
    <message>
        <source>What causes the fault, as far as it is known.</source>
        <translation>已知的故障原因。</translation>
    </message>
    <message>
        <source>What the engineer did.</source>
        <translation>工程师采取的措施。</translation>
    </message>
    <message>
        <source>Part</source>
        <translation>备件</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>Add part</source>
        <translation>添加备件</translation>
    </message>
    <message>
        <source>Remove part</source>
        <translation>删除备件</translation>
    </message>
    <message>
        <source>Save report</source>
        <translation>保存报告</translation>
    </message>
    <message>
        <source>Re-dispatch now…</source>
        <translation>立即重新派工…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Result:</source>
        <translation>结果：</translation>
    </message>
    <message>
        <source>&amp;Cause:</source>
        <translation>原因(&amp;C)：</translation>
    </message>
    <message>
        <source>Re&amp;solution:</source>
        <translation>解决方案(&amp;S)：</translation>
    </message>
    <message>
        <source>Parts &amp;used:</source>
        <translation>所用备件(&amp;U)：</translation>
    </message>
    <message>
        <source>This visit is not in the local cache.</source>
        <translation>本地缓存中没有此服务记录。</translation>
    </message>
    <message>
        <source>%1 · %2 · %3</source>
        <translation>%1 · %2 · %3</translation>
    </message>
    <message>
        <source>This visit is already %1; create a re-dispatch instead.</source>
        <translation>此服务已是“%1”状态；请改为重新派工。</translation>
    </message>
    <message>
        <source>You may not record visit reports.</source>
        <translation>您无权登记服务报告。</translation>
    </message>
    <message>
        <source>At most %1 parts in one report.</source>
        <translation>一份报告最多 %1 种备件。</translation>
    </message>
    <message>
        <source>Not needed when resolved; what caused it, if known.</source>
        <translation>已解决时可不填；如已知，请填写原因。</translation>
    </message>
    <message>
        <source>What was tried (optional).</source>
        <translation>尝试过的措施（可选）。</translation>
    </message>
    <message>
        <source>Too long: %1 characters, at most %2.</source>
        <translation>过长：%1 个字符，最多 %2 个。</translation>
    </message>
    <message>
        <source>Part %1: </source>
        <translation>备件 %1：</translation>
    </message>
    <message>
        <source>enter the part&apos;s name.</source>
        <translation>请输入备件名称。</translation>
    </message>
    <message>
        <source>the name is too long (at most %1 characters).</source>
        <translation>名称过长（最多 %1 个字符）。</translation>
    </message>
    <message>
        <source>the quantity must be a whole number from 1 to %1.</source>
        <translation>数量必须是 1 到 %1 之间的整数。</translation>
    </message>
    <message>
        <source>Choose how the visit ended.</source>
        <translation>请选择服务结果。</translation>
    </message>
    <message>
        <source>Say how the fault was resolved.</source>
        <translation>请填写故障的解决方法。</translation>
    </message>
    <message>
        <source>Say what causes the fault, as far as it is known.</source>
        <translation>请填写已知的故障原因。</translation>
    </message>
    <message>
        <source>Not saved: %1</source>
        <translation>未保存：%1</translation>
    </message>
    <message>
        <source>Saved. The fault is not resolved: plan the next visit now?</source>
        <translation>已保存。故障未解决：现在安排下一次服务吗？</translation>
    </message>
    <message>
        <source>Saved. The fault is only partly resolved: plan another visit?</source>
        <translation>已保存。故障仅部分解决：再安排一次服务吗？</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>WallboardPanel</name>
    <message>
        <source>Message the team…</source>
        <translation>向本组发消息…</translation>
    </message>
    <message>
        <source>Alert thresholds…</source>
        <translation>告警阈值…</translation>
    </message>
    <message>
        <source>Set state</source>
        <translation>设置状态</translation>
    </message>
    <message>
        <source>Applied on the agent&apos;s desk now, or after their current call</source>
        <translation>立即在坐席端生效，或在其当前通话结束后生效</translation>
    </message>
    <message>
        <source>Log out</source>
        <translation>签出</translation>
    </message>
    <message>
        <source>Selected agent:</source>
        <translation>所选坐席：</translation>
    </message>
    <message>
        <source>Reassign…</source>
        <translation>改派…</translation>
    </message>
    <message>
        <source>Call the customer</source>
        <translation>呼叫客户</translation>
    </message>
    <message>
        <source>Comment…</source>
        <translation>添加备注…</translation>
    </message>
    <message>
        <source>Queues</source>
        <translation>队列</translation>
    </message>
    <message>
        <source>Agents</source>
        <translation>坐席</translation>
    </message>
    <message>
        <source>Alerts</source>
        <translation>告警</translation>
    </message>
    <message>
        <source>Escalations and recurring issues</source>
        <translation>升级与重复问题</translation>
    </message>
    <message>
        <source>Acknowledge</source>
        <translation>确认</translation>
    </message>
    <message>
        <source>Tell the team&apos;s leads you have seen the selected alert</source>
        <translation>告知本组各组长你已看到所选告警</translation>
    </message>
    <message>
        <source>Calls per 15 minutes</source>
        <translation>每 15 分钟来电量</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>今天</translation>
    </message>
    <message>
        <source>Forecast today</source>
        <translation>今日预测</translation>
    </message>
    <message>
        <source>Forecast tomorrow</source>
        <translation>明日预测</translation>
    </message>
    <message>
        <source>Service level today (%)</source>
        <translation>今日服务水平（%）</translation>
    </message>
    <message>
        <source>Agents by state</source>
        <translation>坐席状态分布</translation>
    </message>
    <message>
        <source>Hour (%1)</source>
        <translation>时间（%1）</translation>
    </message>
    <message>
        <source>Tomorrow (%1): about %2 calls, forecast from the same weekday of the last %3 weeks.</source>
        <translation>明天（%1）：预计约 %2 通来电，依据过去 %3 周同一星期几的数据预测。</translation>
    </message>
    <message>
        <source>Its error on the last %1 days: %2 per interval (MAPE), %3 weighted (WAPE).</source>
        <translation>最近 %1 天的预测误差：按时段 %2（MAPE），加权 %3（WAPE）。</translation>
    </message>
    <message>
        <source>No forecast for tomorrow: no history of that weekday yet.</source>
        <translation>暂无明日预测：还没有该星期几的历史数据。</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; offered today · service level &lt;b&gt;%2&lt;/b&gt; · answer rate &lt;b&gt;%3&lt;/b&gt; · &lt;b&gt;%4&lt;/b&gt; waiting now · &lt;span style=&apos;color:%5&apos;&gt;&lt;b&gt;%6&lt;/b&gt; alerts&lt;/span&gt; · updated %7</source>
        <translation>今日呼入 &lt;b&gt;%1&lt;/b&gt; · 服务水平 &lt;b&gt;%2&lt;/b&gt; · 接通率 &lt;b&gt;%3&lt;/b&gt; · 当前排队 &lt;b&gt;%4&lt;/b&gt; · &lt;span style=&apos;color:%5&apos;&gt;告警 &lt;b&gt;%6&lt;/b&gt;&lt;/span&gt; · 更新于 %7</translation>
    </message>
    <message>
        <source>This server is older: alerts are evaluated on this desk, for you alone, and cannot be acknowledged.</source>
        <translation>服务器版本较旧：告警仅在本机为你计算，无法确认。</translation>
    </message>
    <message>
        <source>The team&apos;s alerts, kept by the server: every lead of the team sees them.</source>
        <translation>本组告警由服务器保存：本组每位组长都能看到。</translation>
    </message>
    <message>
        <source>Select one of the team&apos;s alerts first.</source>
        <translation>请先选择一条本组告警。</translation>
    </message>
    <message>
        <source>Wallboard alert</source>
        <translation>看板告警</translation>
    </message>
    <message>
        <source>Wallboard alert: %1</source>
        <translation>看板告警：%1</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <source>Not ready</source>
        <translation>未就绪</translation>
    </message>
    <message>
        <source>This server does not plan shifts: no adherence on the board.</source>
        <translation>此服务器不支持排班：看板上没有排班遵从情况。</translation>
    </message>
    <message>
        <source>No published roster covers today: every agent counts as scheduled off. Rosters are published in Tools ▸ Workforce.</source>
        <translation>今天没有已发布的排班：所有坐席都按不在班计算。排班在“工具 ▸ 排班管理”中发布。</translation>
    </message>
    <message>
        <source>Adherence to the published roster: %1 of %2 agents out now.</source>
        <translation>已发布排班的遵从情况：%2 名坐席中当前有 %1 名偏离。</translation>
    </message>
    <message>
        <source>Choose an agent first.</source>
        <translation>请先选择坐席。</translation>
    </message>
    <message>
        <source>Message the team</source>
        <translation>向本组发消息</translation>
    </message>
    <message>
        <source>Shown on every desk of your team:</source>
        <translation>将显示在本组每位坐席的工作台上：</translation>
    </message>
    <message>
        <source>Choose an escalation or issue first.</source>
        <translation>请先选择升级事项或问题。</translation>
    </message>
    <message>
        <source>Reassign</source>
        <translation>改派</translation>
    </message>
    <message>
        <source>Give %1 to:</source>
        <translation>将 %1 改派给：</translation>
    </message>
    <message>
        <source>Comment</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Your comment on %1:</source>
        <translation>您对 %1 的备注：</translation>
    </message>
</context>
<context>
    <name>WallboardService</name>
    <message>
        <source>Not connected: the thresholds were not changed.</source>
        <translation>未连接：阈值未更改。</translation>
    </message>
    <message>
        <source>Alert thresholds saved for the team.</source>
        <translation>已为本组保存告警阈值。</translation>
    </message>
    <message>
        <source>Another lead changed the team&apos;s thresholds meanwhile; theirs are shown.</source>
        <translation>其间另一位组长更改了本组阈值；现显示其设置。</translation>
    </message>
    <message>
        <source>The thresholds were not saved: %1</source>
        <translation>阈值未保存：%1</translation>
    </message>
    <message>
        <source>Not connected: the alert was not acknowledged.</source>
        <translation>未连接：告警未确认。</translation>
    </message>
    <message>
        <source>Alert acknowledged.</source>
        <translation>告警已确认。</translation>
    </message>
    <message>
        <source>The wallboard could not be loaded: %1</source>
        <translation>无法加载监控看板：%1</translation>
    </message>
    <message>
        <source>Not connected: the action was not sent.</source>
        <translation>未连接：操作未发送。</translation>
    </message>
    <message>
        <source>Sent to %1: applied now, or after the current call.</source>
        <translation>已发送给 %1：立即生效，或在当前通话结束后生效。</translation>
    </message>
    <message>
        <source>Sent to %1: their desk signs out now.</source>
        <translation>已发送给 %1：其坐席将立即签出。</translation>
    </message>
    <message>
        <source>Message sent to the team.</source>
        <translation>消息已发送给本组。</translation>
    </message>
    <message>
        <source>Reassigned to %1; it syncs when online.</source>
        <translation>已改派给 %1，联网后同步。</translation>
    </message>
    <message>
        <source>Comment added; it syncs when online.</source>
        <translation>已添加备注，联网后同步。</translation>
    </message>
    <message>
        <source>This customer has no phone number on file.</source>
        <translation>此客户没有登记电话号码。</translation>
    </message>
</context>
<context>
    <name>WorkArea</name>
    <message>
        <source>Service requests</source>
        <translation>服务工单</translation>
    </message>
    <message>
        <source>Your team&apos;s tickets with SLA clocks: create one from a call, escalate a complaint, and follow every change.</source>
        <translation>本组的工单及时限计时：从通话创建工单、升级投诉、跟踪每一次变更。</translation>
    </message>
    <message>
        <source>Field dispatch</source>
        <translation>现场派工</translation>
    </message>
    <message>
        <source>Work orders for technicians: time window, method, result and re-dispatch.</source>
        <translation>工程师的工作单：上门时段、服务方式、处理结果和重新派工。</translation>
    </message>
    <message>
        <source>Knowledge base</source>
        <translation>知识库</translation>
    </message>
    <message>
        <source>Search answers in Chinese and English; likely articles are suggested while you type, and unanswered questions go to experts.</source>
        <translation>用中文或英文搜索答案；输入时自动推荐可能相关的文章，无法解答的问题转给专家。</translation>
    </message>
    <message>
        <source>Callbacks and surveys</source>
        <translation>回访与调查</translation>
    </message>
    <message>
        <source>Callbacks after a ticket is resolved, satisfaction surveys and campaigns.</source>
        <translation>工单解决后的回访、满意度调查和外呼活动。</translation>
    </message>
    <message>
        <source>&amp;Tickets</source>
        <translation>工单(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Dispatch</source>
        <translation>派工(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Callbacks</source>
        <translation>回访(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Knowledge base</source>
        <translation>知识库(&amp;K)</translation>
    </message>
</context>
<context>
    <name>WorkDesk</name>
    <message>
        <source>Article linked to the ticket: %1</source>
        <translation>已将文章关联到工单：%1</translation>
    </message>
    <message>
        <source>The experts answered your question “%1”; the answer is now an article in the knowledge base.</source>
        <translation>专家已回答您的问题“%1”，答案已成为知识库中的一篇文章。</translation>
    </message>
    <message>
        <source>The experts answered your question “%1”.</source>
        <translation>专家已回答您的问题“%1”。</translation>
    </message>
    <message>
        <source>Consulting the expert at %1: the caller is on hold. Press Complete transfer on the phone to hand them over.</source>
        <translation>正在咨询专家（%1）：来电者处于保持状态。在电话面板按“完成转接”即可将来电者转给专家。</translation>
    </message>
</context>
<context>
    <name>WorkItemsModel</name>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Ticket / issue</source>
        <translation>工单 / 问题</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>详情</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>到期</translation>
    </message>
    <message>
        <source>Escalated: %1</source>
        <translation>已升级：%1</translation>
    </message>
    <message>
        <source>Complaint near deadline</source>
        <translation>投诉临近时限</translation>
    </message>
    <message>
        <source>Recurring issue</source>
        <translation>重复问题</translation>
    </message>
    <message>
        <source>%1 open tickets in a week</source>
        <translation>一周内 %1 张未结工单</translation>
    </message>
    <message>
        <source>Tickets: %1</source>
        <translation>工单：%1</translation>
    </message>
</context>
<context>
    <name>WorkforceService</name>
    <message>
        <source>This server does not plan shifts (it is older than contract 1.8): no shift patterns, rosters or adherence here.</source>
        <translation>此服务器不支持排班（版本低于契约 1.8）：没有班次模板、排班表和排班遵从。</translation>
    </message>
    <message>
        <source>Shift patterns saved (%1 patterns).</source>
        <translation>班次模板已保存（%1 个）。</translation>
    </message>
    <message>
        <source>Roster proposed in %1 s (the best possible): %2 intervals under-staffed, %3 over-staffed.</source>
        <translation>排班建议已生成，用时 %1 秒（已是最优）：人手不足 %2 个时段，过剩 %3 个时段。</translation>
    </message>
    <message>
        <source>Roster proposed in %1 s (the best found within the time limit, not proven the best): %2 intervals under-staffed, %3 over-staffed.</source>
        <translation>排班建议已生成，用时 %1 秒（时限内找到的最好结果，未证明最优）：人手不足 %2 个时段，过剩 %3 个时段。</translation>
    </message>
    <message>
        <source>The server found no roster within its time limit (%1 s): try fewer rules or more shift patterns. %2 under-staffed, %3 over-staffed.</source>
        <translation>服务器在时限内（%1 秒）没有找到排班：请减少规则或增加班次模板。人手不足 %2 个时段，过剩 %3 个时段。</translation>
    </message>
    <message>
        <source>No roster keeps the rules for this week (%1 s): check the shift patterns&apos; days and the agents&apos; limits. %2 under-staffed, %3 over-staffed.</source>
        <translation>本周没有满足规则的排班（%1 秒）：请检查班次模板的适用日和坐席的限制。人手不足 %2 个时段，过剩 %3 个时段。</translation>
    </message>
    <message>
        <source>Roster: %2 intervals under-staffed, %3 over-staffed.</source>
        <translation>排班：人手不足 %2 个时段，过剩 %3 个时段。</translation>
    </message>
    <message>
        <source>Roster published: the agents see their shifts.</source>
        <translation>排班已发布：坐席可以看到自己的班次。</translation>
    </message>
    <message>
        <source>Roster saved (not published yet).</source>
        <translation>排班已保存（尚未发布）。</translation>
    </message>
    <message>
        <source>You belong to no team: there is no roster to plan.</source>
        <translation>您不属于任何团队：没有可安排的排班。</translation>
    </message>
    <message>
        <source>Not signed in to the server.</source>
        <translation>未登录服务器。</translation>
    </message>
    <message>
        <source>Another lead saved the shift patterns first; theirs are shown.</source>
        <translation>另一位组长先保存了班次模板；现显示的是他们的版本。</translation>
    </message>
    <message>
        <source>This week&apos;s roster was changed or published meanwhile (version %1); it is shown now: adjust it and save again.</source>
        <translation>这一周的排班已被修改或发布（第 %1 版），现显示最新版本：请调整后重新保存。</translation>
    </message>
</context>
<context>
    <name>WorkforceWindow</name>
    <message>
        <source>Workforce</source>
        <translation>排班管理</translation>
    </message>
    <message>
        <source>◀ Previous week</source>
        <translation>◀ 上一周</translation>
    </message>
    <message>
        <source>Next week ▶</source>
        <translation>下一周 ▶</translation>
    </message>
    <message>
        <source>Workforce pages</source>
        <translation>排班管理页面</translation>
    </message>
    <message>
        <source>Shift patterns</source>
        <translation>班次模板</translation>
    </message>
    <message>
        <source>Forecast and staffing</source>
        <translation>预测与人力需求</translation>
    </message>
    <message>
        <source>Roster</source>
        <translation>排班表</translation>
    </message>
    <message>
        <source>Week of %1 to %2</source>
        <translation>%1 至 %2 这一周</translation>
    </message>
    <message>
        <source>The server is proposing a roster for the week of %1…</source>
        <translation>服务器正在为 %1 这一周生成排班…</translation>
    </message>
</context>
<context>
    <name>Workstation</name>
    <message>
        <source>the demo does not remember sign-ins</source>
        <translation>演示模式不记住登录</translation>
    </message>
    <message>
        <source>Your team lead signed you out.</source>
        <translation>组长已将您签出。</translation>
    </message>
    <message>
        <source>The phone could not start: %1</source>
        <translation>话机无法启动：%1</translation>
    </message>
    <message>
        <source>The phone keeps failing and has stopped. Restart the app.</source>
        <translation>电话反复出错，已停止运行。请重新启动应用程序。</translation>
    </message>
    <message>
        <source>The audio device %1 is gone; now using %2.</source>
        <translation>音频设备 %1 已断开；现在使用 %2。</translation>
    </message>
    <message>
        <source>no device</source>
        <translation>无设备</translation>
    </message>
    <message>
        <source>Starting the demo backend…</source>
        <translation>正在启动演示后台…</translation>
    </message>
    <message>
        <source>Demo</source>
        <translation>演示</translation>
    </message>
    <message>
        <source>Demo: you are Ready, so demo customers will call this desk: the first in a few seconds, then about every %1 s. Choose Not Ready to stop them.</source>
        <translation>演示：您已就绪，演示客户会呼入本座席：第一通几秒后到来，之后约每 %1 秒一通。选择“未就绪”即可停止。</translation>
    </message>
    <message>
        <source>Something went wrong: %1</source>
        <translation>出现错误：%1</translation>
    </message>
    <message>
        <source>The details are in the log.</source>
        <translation>详细信息已写入日志。</translation>
    </message>
    <message>
        <source>Unexpected error</source>
        <translation>意外错误</translation>
    </message>
</context>
</TS>
